/**
 * git's own commands: git runs one of these (or a `git-NAME` program on its exec path)
 * before it looks for an alias of the same name, so `git status` can never be an alias.
 * Built-ins of git 2.39 (`git --list-cmds=builtins`) and the commands core git installs
 * as programs, less those a git still in use may lack: an alias of a name its git does
 * not know runs. Left out: commands added after git 2.23 other than `switch` and
 * `restore` (`sparse-checkout`, `bugreport`, `maintenance`, `for-each-repo`, `hook`,
 * `diagnose`), and those newer gits drop (`whatchanged`, `pack-redundant`, `pickaxe`).
 * A name missing here only costs an alias lookup; `test/git-aliases.test.ts` checks
 * that the installed git knows every name listed.
 */
export const GIT_BUILTINS: ReadonlySet<string> = new Set(
  [
    'add am annotate apply archive bisect blame branch bundle cat-file check-attr check-ignore check-mailmap',
    'check-ref-format checkout checkout-index cherry cherry-pick clean clone column commit commit-graph',
    'commit-tree config count-objects credential credential-cache credential-store describe diff diff-files',
    'diff-index diff-tree difftool fast-export fast-import fetch fetch-pack filter-branch fmt-merge-msg',
    'for-each-ref format-patch fsck fsck-objects gc get-tar-commit-id grep hash-object help index-pack init',
    'init-db interpret-trailers log ls-files ls-remote ls-tree mailinfo mailsplit merge merge-base merge-file',
    'merge-index merge-ours merge-recursive merge-subtree merge-tree mergetool mktag mktree multi-pack-index mv',
    'name-rev notes pack-objects pack-refs patch-id prune prune-packed pull push range-diff read-tree rebase',
    'receive-pack reflog remote repack replace request-pull rerere reset restore rev-list rev-parse revert rm',
    'send-pack shortlog show show-branch show-index show-ref stage stash status stripspace submodule switch',
    'symbolic-ref tag unpack-file unpack-objects update-index update-ref update-server-info upload-archive',
    'upload-pack var verify-commit verify-pack verify-tag version worktree write-tree',
  ]
    .join(' ')
    .split(' '),
);

/**
 * git's options before the subcommand that take the next word as their value
 * (`git -C dir p`: `dir` is not the subcommand). Shared by the fast path and the walker.
 */
export const GIT_VALUE_OPTIONS: ReadonlySet<string> = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--config-env', '--super-prefix', '--list-cmds']);
