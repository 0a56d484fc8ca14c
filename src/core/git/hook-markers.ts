/**
 * The lines that mark theguard's part of a pre-push hook. `theguard init` writes them,
 * `theguard doctor` and `uninstall` look for them, and the Claude Code hook checks them
 * before leaving a push to the pre-push hook.
 */
/** First lines of the pre-push file theguard owns in git's hooks dir. */
export const HOOK_MARKER = '# theguard-managed pre-push hook';

/** theguard's block in files other tools own (.husky/pre-push, lefthook.yml). */
export const BLOCK_BEGIN = '# >>> theguard: push guard (managed by `theguard init`; `theguard uninstall` removes it)';
export const BLOCK_END = '# <<< theguard';
