import { LAUNCHER_FROM_GIT } from './launcher.js';

/**
 * The pre-push file in git's hooks dir (.git/hooks, or core.hooksPath). It holds no
 * machine paths: it finds the launcher through git, so it also works when hooksPath
 * is a committed directory. An earlier hook is chained: it runs first, on the same
 * input, and its failure stops the push.
 */
export { HOOK_MARKER } from '../../core/git/hook-markers.js';
import { HOOK_MARKER } from '../../core/git/hook-markers.js';

/** `chainWord`: the earlier hook as one sh word (CHAINED_FROM_GIT, or a quoted absolute path), or null. */
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

/** Where an earlier hook file is kept to be chained: private, next to the launcher. */
export const CHAINED_NAME = 'chained-pre-push';
export const CHAINED_FROM_GIT = '"$(git rev-parse --git-common-dir)/theguard/chained-pre-push"';
