import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

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

/**
 * The main work tree of the repository `root` belongs to: for a linked worktree (`git
 * worktree add`, Claude Code's worktrees), the checkout that owns the common git dir;
 * otherwise `root` itself. Every worktree of a repository shares the main one's
 * configuration (when it has none of its own) and state dir, so a push made in one
 * is approved with `theguard verify` in any. Read from two small files, without git:
 * `<root>/.git` says `gitdir: <dir>`, and `<dir>/commondir` names the common git dir.
 * A submodule's git dir has no `commondir`, so it stays a project of its own.
 */
export function findMainWorkTree(root: string): string {
  try {
    const dotGit = join(root, '.git');
    if (!statSync(dotGit).isFile()) return root;
    const gitdir = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
    if (!gitdir) return root;
    const gitDir = resolve(root, gitdir);
    const common = resolve(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim());
    if (basename(common) !== '.git' || !statSync(common).isDirectory()) return root;
    return dirname(common);
  } catch {
    return root;
  }
}

/**
 * The common git dir of the repository whose work tree is `root`, read without git:
 * `<root>/.git` when it is a directory; for a linked worktree (or a checkout made with
 * `--separate-git-dir`), the dir its `.git` file names, or that dir's `commondir`.
 * Null when there is none. Self-protection guards `<common>/theguard` (the launcher and
 * the install record) wherever it is, not only under a directory named `.git`.
 */
export function findGitCommonDir(root: string): string | null {
  try {
    const dotGit = join(root, '.git');
    if (statSync(dotGit).isDirectory()) return dotGit;
    const gitdir = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
    if (!gitdir) return null;
    const gitDir = resolve(root, gitdir);
    let common: string;
    try {
      common = resolve(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim());
    } catch {
      common = gitDir;
    }
    return statSync(common).isDirectory() ? common : null;
  } catch {
    return null;
  }
}
