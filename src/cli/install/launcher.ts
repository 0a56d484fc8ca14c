import { join } from 'node:path';
import { shQuote } from './sh-quote.js';

/**
 * The launcher: a small sh script in theguard's private dir that runs the hook by
 * absolute path, the node binary that ran `theguard init` and theguard's built
 * dist/hooks/pre-push.js. No PATH lookup, no npx (slow, and it can resolve to another
 * package). Every hook entry (git hooks dir, husky, lefthook) calls this one file, so
 * the absolute paths, which belong to this machine, never land in a committed file.
 */
export const LAUNCHER_NAME = 'pre-push';

export function launcherPath(privateDir: string): string {
  return join(privateDir, LAUNCHER_NAME);
}

/** The sh expression hook entries use to find the launcher from any worktree. */
export const LAUNCHER_FROM_GIT = '"$(git rev-parse --git-common-dir)/theguard/pre-push"';

export function launcherScript(nodePath: string, hookScript: string): string {
  return [
    '#!/bin/sh',
    '# theguard pre-push launcher for this machine, written by `theguard init`.',
    '# It runs theguard by absolute path; run `theguard init` again after moving node or theguard.',
    `node=${shQuote(nodePath)}`,
    `hook=${shQuote(hookScript)}`,
    'if [ ! -x "$node" ] || [ ! -f "$hook" ]; then',
    '  echo "theguard: push stopped: cannot run the push guard ($node or $hook is missing)." >&2',
    '  echo "Fix: run \\`theguard init\\` again, then \\`theguard doctor\\`." >&2',
    '  exit 1',
    'fi',
    '# NODE_OPTIONS could load other code (--require, --import) into the guard itself.',
    'unset NODE_OPTIONS',
    'exec "$node" "$hook" "$@"',
    '',
  ].join('\n');
}

/** The node and hook paths a launcher runs, for `theguard doctor`. */
export function parseLauncher(text: string): { node: string; hook: string } | null {
  const value = (name: string): string | null => {
    const m = text.match(new RegExp(`^${name}='((?:[^']|'\\\\'')*)'$`, 'm'));
    return m ? (m[1] as string).replace(/'\\''/g, "'") : null;
  };
  const node = value('node');
  const hook = value('hook');
  return node && hook ? { node, hook } : null;
}
