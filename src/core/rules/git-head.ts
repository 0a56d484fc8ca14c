import { join } from 'node:path';
import { findRepo } from '../shell/git-config.js';
import { readSmallFile } from '../shell/script-files.js';

/**
 * The branch checked out in a directory, read from the repository's HEAD file without
 * spawning git (the hook cannot afford a process). Linked worktrees and submodules,
 * whose `.git` is a file pointing at the real git dir, are followed. null when
 * detached, outside a repository, or unreadable.
 */
export function currentBranch(dir: string): string | null {
  const gitDir = findGitDir(dir);
  if (!gitDir) return null;
  const head = readSmall(join(gitDir, 'HEAD'));
  const m = head ? /^ref: refs\/heads\/(\S+)/.exec(head) : null;
  return m ? (m[1] as string) : null;
}

/**
 * What a local branch name stands for: itself, or, when `refs/heads/NAME` is a symbolic
 * ref (`git symbolic-ref refs/heads/x refs/heads/main`), the branch it points to, since
 * `git push origin x` then updates main. Packed refs are never symbolic.
 */
export function branchTarget(dir: string, name: string): string {
  const common = findRepo(dir)?.commonDir;
  if (!common) return name;
  let branch = name;
  for (let n = 0; n < 5; n++) {
    if (branch.split('/').some((p) => p === '..' || p === '')) return branch;
    const text = readSmall(join(common, 'refs', 'heads', branch));
    const m = text ? /^ref: refs\/heads\/(\S+)/.exec(text) : null;
    if (!m) return branch;
    branch = m[1] as string;
  }
  return branch;
}

/** The repository's git dir for a directory inside its work tree, or null. */
export function findGitDir(start: string): string | null {
  return findRepo(start)?.gitDir ?? null;
}

/** Non-blocking and size-capped: a FIFO planted as HEAD must not stall the hook. */
function readSmall(path: string): string | null {
  const read = readSmallFile(path);
  return read.kind === 'ok' && read.text.length <= 4096 ? read.text : null;
}
