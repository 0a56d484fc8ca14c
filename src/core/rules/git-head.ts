import { statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
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
  const gitDir = findGitDir(dir);
  if (!gitDir) return name;
  const common = commonDir(gitDir);
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

/** A linked worktree's git dir keeps HEAD; its refs live in the common dir it names. */
function commonDir(gitDir: string): string {
  const pointer = readSmall(join(gitDir, 'commondir'));
  if (!pointer) return gitDir;
  const target = pointer.trim();
  return isAbsolute(target) ? target : resolve(gitDir, target);
}

/** The repository's git dir for a directory inside its work tree, or null. */
export function findGitDir(start: string): string | null {
  let dir = resolve(start);
  for (let n = 0; n < 128; n++) {
    const dotGit = join(dir, '.git');
    try {
      const st = statSync(dotGit);
      if (st.isDirectory()) return dotGit;
      if (!st.isFile()) return null;
      const pointer = readSmall(dotGit);
      const m = pointer ? /^gitdir: (.+)$/m.exec(pointer) : null;
      if (!m) return null;
      const target = (m[1] as string).trim();
      return isAbsolute(target) ? target : resolve(dir, target);
    } catch {
      // not here: keep walking up
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
  return null;
}

/** Non-blocking and size-capped: a FIFO planted as HEAD must not stall the hook. */
function readSmall(path: string): string | null {
  const read = readSmallFile(path);
  return read.kind === 'ok' && read.text.length <= 4096 ? read.text : null;
}
