import { GuardError } from '../errors.js';
import type { ObjectFormat } from './object-format.js';
import type { RefUpdate } from './ref-updates.js';
import { gitStatus } from './run.js';

/**
 * What a ref update does to the remote. A force is any update that is not a
 * fast-forward, judged by git itself (merge-base --is-ancestor). When the remote's
 * object is not in this repository we cannot prove a fast-forward, so it counts as a
 * force: the stricter reading.
 */
export type UpdateKind = 'create' | 'update' | 'force' | 'delete';
export type RefKind = 'branch' | 'tag' | 'other';

export interface ClassifiedUpdate extends RefUpdate {
  readonly kind: UpdateKind;
  readonly refKind: RefKind;
  /** The ref without refs/heads/ or refs/tags/ (full name for other refs). */
  readonly name: string;
}

export function refKindOf(ref: string): { refKind: RefKind; name: string } {
  if (ref.startsWith('refs/heads/')) return { refKind: 'branch', name: ref.slice('refs/heads/'.length) };
  if (ref.startsWith('refs/tags/')) return { refKind: 'tag', name: ref.slice('refs/tags/'.length) };
  return { refKind: 'other', name: ref };
}

export function classifyUpdate(u: RefUpdate, format: ObjectFormat, cwd: string): ClassifiedUpdate {
  return { ...u, ...refKindOf(u.remoteRef), kind: kindOf(u, format, cwd) };
}

function kindOf(u: RefUpdate, format: ObjectFormat, cwd: string): UpdateKind {
  if (u.localId === format.zeroId) return 'delete';
  if (u.remoteId === format.zeroId) return 'create';
  if (u.localId === u.remoteId) return 'update';
  const remote = peelToCommit(u.remoteId, cwd);
  const local = peelToCommit(u.localId, cwd);
  if (!remote || !local) return 'force';
  const res = gitStatus(['merge-base', '--is-ancestor', remote, local], { cwd });
  if (res.status === 0) return 'update';
  if (res.status === 1) return 'force';
  throw new GuardError('git', `git merge-base --is-ancestor failed for ${u.remoteRef}: ${res.stderr.trim() || `exit ${res.status}`}`,
    'check the repository with `git fsck`, then push again');
}

/** The commit an object names (annotated tags are peeled), or null when it is not here or not a commit. */
function peelToCommit(id: string, cwd: string): string | null {
  const res = gitStatus(['rev-parse', '--verify', '--quiet', '--end-of-options', `${id}^{commit}`], { cwd });
  return res.status === 0 ? res.stdout.trim() : null;
}
