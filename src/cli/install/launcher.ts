import { join } from 'node:path';

/**
 * The launcher: a small sh script in theguard's private dir that runs the hook by
 * absolute path, the node binary that ran `theguard init` and theguard's built
 * dist/hooks/pre-push.js. No PATH lookup, no npx (slow, and it can resolve to another
 * package). Every hook entry (git hooks dir, husky, lefthook) calls this one file, so
 * the absolute paths, which belong to this machine, never land in a committed file.
 * Its text lives in src/core/git/hook-entries.ts, which the Claude Code hook compares
 * it with.
 */
export { LAUNCHER_FROM_GIT, launcherScript, parseLauncher } from '../../core/git/hook-entries.js';

export const LAUNCHER_NAME = 'pre-push';

export function launcherPath(privateDir: string): string {
  return join(privateDir, LAUNCHER_NAME);
}
