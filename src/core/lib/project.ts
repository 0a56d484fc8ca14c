import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The project root: the nearest directory at or above `cwd` holding a `.git` entry
 * (a directory, or a file in linked worktrees and submodules). Without one, `cwd`
 * itself. Found with stat calls only: the hooks cannot afford to spawn git.
 */
export function findProjectRoot(cwd: string): string {
  const start = resolve(cwd);
  for (let dir = start; ; dir = dirname(dir)) {
    try {
      statSync(join(dir, '.git'));
      return dir;
    } catch {
      // keep walking up
    }
    if (dirname(dir) === dir) return start;
  }
}
