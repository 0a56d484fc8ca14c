import type { PushGuardPolicy, Tier } from '../config.js';
import type { ClassifiedUpdate } from './classify.js';
import { matchesAny } from './ref-glob.js';

/**
 * Which tier, if any, a ref update needs. Recoverable changes to protected branches
 * take the push tier; anything that throws work away on the remote (force, delete,
 * rewriting a tag) takes the delete tier. Everything else goes through freely.
 */
export interface Judgement {
  readonly tier: Tier | null;
  /** Why, in a few words, for the human. */
  readonly why: string;
}

export function judgeUpdate(u: ClassifiedUpdate, p: PushGuardPolicy): Judgement {
  if (u.refKind === 'tag') {
    if (u.kind === 'create') return { tier: null, why: 'new tag' };
    return { tier: 'delete', why: u.kind === 'delete' ? 'deletes a tag' : 'overwrites a tag' };
  }
  const destructive = u.kind === 'force' || u.kind === 'delete';
  if (u.refKind === 'branch' && matchesAny(u.name, p.protectedBranches)) {
    return destructive ? { tier: 'delete', why: `${u.kind === 'force' ? 'force-pushes' : 'deletes'} a protected branch` } : { tier: 'push', why: 'protected branch' };
  }
  if (destructive && p.guardForceAndDeleteOnAllBranches) {
    return { tier: 'delete', why: `${u.kind === 'force' ? 'force-pushes' : 'deletes'} a branch (guardForceAndDeleteOnAllBranches)` };
  }
  return { tier: null, why: u.refKind === 'branch' ? 'branch not protected' : 'not a branch or tag' };
}

/** One push, one code: the strictest tier any of its updates needs. */
export function strictestTier(tiers: readonly (Tier | null)[]): Tier | null {
  if (tiers.includes('delete')) return 'delete';
  if (tiers.includes('push')) return 'push';
  return null;
}
