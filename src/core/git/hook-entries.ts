import { shQuote } from '../lib/sh-quote.js';
import { CHAINED_ENV } from './chain.js';
import { BLOCK_BEGIN, BLOCK_END, HOOK_MARKER } from './hook-markers.js';

/**
 * The exact text of everything `theguard init` writes to make git run the push guard:
 * the launcher, the hook file in git's hooks dir, the husky block and the lefthook
 * entry. The installer writes them, and the Claude Code hook compares what is on disk
 * with them before it leaves a push to the pre-push hook (./pre-push-installed.ts), so
 * both read from this one place.
 */

/** The sh expression hook entries use to find the launcher from any worktree. */
export const LAUNCHER_FROM_GIT = '"$(git rev-parse --git-common-dir)/theguard/pre-push"';

/** Where an earlier hook file is kept to be chained: private, next to the launcher. */
export const CHAINED_NAME = 'chained-pre-push';
export const CHAINED_FROM_GIT = '"$(git rev-parse --git-common-dir)/theguard/chained-pre-push"';

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

/** The node and hook paths a launcher runs. */
export function parseLauncher(text: string): { node: string; hook: string } | null {
  const value = (name: string): string | null => {
    const m = text.match(new RegExp(`^${name}='((?:[^']|'\\\\'')*)'$`, 'm'));
    return m ? (m[1] as string).replace(/'\\''/g, "'") : null;
  };
  const node = value('node');
  const hook = value('hook');
  return node && hook ? { node, hook } : null;
}

/**
 * The pre-push file in git's hooks dir. `chainWord`: the earlier hook as one sh word
 * (CHAINED_FROM_GIT, or a quoted absolute path), or null.
 */
export function hookFile(chainWord: string | null): string {
  const chain = chainWord ? ` --chain ${chainWord}` : '';
  return [
    '#!/bin/sh',
    HOOK_MARKER,
    '# `theguard uninstall` restores what was here before; `theguard doctor` checks it.',
    `exec ${LAUNCHER_FROM_GIT}${chain} -- "$@"`,
    '',
  ].join('\n');
}

/** Is this text exactly a hook file init writes (with any of the chain forms)? */
export function isOurHookFile(text: string): boolean {
  if (text === hookFile(null) || text === hookFile(CHAINED_FROM_GIT)) return true;
  const m = /^exec "\$\(git rev-parse --git-common-dir\)\/theguard\/pre-push" --chain ('(?:[^']|'\\'')*') -- "\$@"$/m.exec(text);
  return m !== null && text === hookFile(m[1] as string);
}

/** theguard's block at the top of `.husky/pre-push`. */
export function huskyBlock(): string[] {
  return [
    BLOCK_BEGIN,
    `if [ -z "\${${CHAINED_ENV}-}" ]; then`,
    `  exec ${LAUNCHER_FROM_GIT} --chain-sh "$0" -- "$@"`,
    'fi',
    BLOCK_END,
  ];
}

/** theguard's job in the lefthook configuration (the name sorts after the usual ones: lefthook runs it last). */
export const LEFTHOOK_JOB = 'zz-theguard';
/** Ends the here-document that carries git's arguments to the launcher (src/cli/install/lefthook.ts says why). */
export const LEFTHOOK_ARGS_END = 'THEGUARD_GIT_ARGS';

/** The job's keys, relative to the job's own indentation; `configName` is the lefthook file's own name. */
export function lefthookJobKeys(unit: string, configName: string): string[] {
  return [
    'run: |',
    `${unit}exec ${LAUNCHER_FROM_GIT} --args-fd 3 3<<'${LEFTHOOK_ARGS_END}'`,
    `${unit}{1}`,
    `${unit}{2}`,
    `${unit}{files}`,
    `${unit}${LEFTHOOK_ARGS_END}`,
    `files: echo ${configName}`,
    'use_stdin: true',
  ];
}

/** What husky v9 writes as `<dir>/_/pre-push`: it sources husky's runner `h`. */
export const HUSKY_STUB = '#!/usr/bin/env sh\n. "$(dirname "$0")/h"';
