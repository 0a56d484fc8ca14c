/**
 * The pre-push file in git's hooks dir (.git/hooks, or core.hooksPath). It holds no
 * machine paths: it finds the launcher through git, so it also works when hooksPath
 * is a committed directory. An earlier hook is chained: it runs first, on the same
 * input, and its failure stops the push. The text is in src/core/git/hook-entries.ts.
 */
export { HOOK_MARKER } from '../../core/git/hook-markers.js';
export { CHAINED_FROM_GIT, CHAINED_NAME, hookFile } from '../../core/git/hook-entries.js';
