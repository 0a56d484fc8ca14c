import type { Invocation } from '../shell/invocation.js';
import { scanAll } from '../shell/options.js';
import type { Word } from '../shell/syntax.js';
import { literal } from '../shell/words.js';
import { strictlyInside } from '../lib/inside.js';
import { gitCall } from './git.js';
import { branchTarget, currentBranch, findGitDir } from './git-head.js';
import type { LocalRefs } from './git-push.js';

/**
 * The branch a push sends is read from the repository when the hook looks, but commands
 * earlier in the same line can change it: `git checkout main && git push origin HEAD`
 * pushes main. This tracks, per repository and in execution order, what such commands
 * may have done, so a later push is judged by every branch HEAD may name then (the one
 * checked out now included, since `git checkout NAME` may restore a file instead).
 */
type Move = { readonly heads: readonly (string | null)[]; readonly replaces: boolean } | 'refs' | null;

export class LineRefs implements LocalRefs {
  private readonly heads_ = new Map<string, (string | null)[]>();
  private readonly replaced = new Set<string>();
  private readonly aliased = new Set<string>();
  /** A move in a repository theguard cannot locate: every HEAD is unknown from then on. */
  private lost = false;

  constructor(private readonly home: string) {}

  /** Record what one invocation may change; call in execution order, before judging its push. */
  note(inv: Invocation): void {
    const call = gitCall(inv, this.home);
    if (!call) return;
    const move = moveOf(call.sub, call.args);
    if (move === null) return;
    const gitDir = call.dir === null || call.elsewhere ? null : findGitDir(call.dir);
    if (gitDir === null) {
      this.lost = true;
      return;
    }
    if (move === 'refs') {
      this.aliased.add(gitDir);
      return;
    }
    const list = this.heads_.get(gitDir) ?? [];
    if (move.replaces) {
      this.replaced.add(gitDir);
      list.length = 0;
    }
    list.push(...move.heads);
    this.heads_.set(gitDir, list);
  }

  heads(dir: string): readonly (string | null)[] {
    if (this.lost) return [null];
    const gitDir = findGitDir(dir);
    if (gitDir === null) return [currentBranch(dir)];
    const moved = this.heads_.get(gitDir) ?? [];
    return this.replaced.has(gitDir) ? moved : [currentBranch(dir), ...moved];
  }

  branch(dir: string, name: string): string | null {
    const gitDir = findGitDir(dir);
    if (this.lost || (gitDir !== null && this.aliased.has(gitDir))) return null;
    return branchTarget(dir, name);
  }

  /** A file written earlier in the line inside the repository's git dir (`echo 'ref: ...' > .git/HEAD`). */
  wroteGitDir(inv: Invocation, dir: string | null): boolean {
    const gitDir = dir === null ? null : findGitDir(dir);
    if (gitDir === null) return false;
    for (const p of inv.writtenEarlier) if (strictlyInside(p, gitDir)) return true;
    return false;
  }
}

const CHECKOUT = { short: 'bBU', long: ['orphan', 'conflict', 'pathspec-from-file'] };
const SWITCH = { short: 'cC', long: ['create', 'force-create', 'orphan', 'conflict'] };
const REBASE = { short: 'sXx', long: ['onto', 'strategy', 'strategy-option', 'exec'] };

function moveOf(sub: string | null, args: readonly Word[]): Move {
  const argv = [{ parts: [], raw: 'git', subs: [] } as Word, ...args];
  switch (sub) {
    case 'checkout':
    case 'switch': {
      const scan = scanAll(argv, 1, sub === 'checkout' ? CHECKOUT : SWITCH);
      const created = ['b', 'B', 'c', 'C', 'create', 'force-create', 'orphan'].flatMap((k) => scan.values.get(k) ?? []);
      if (created.length > 0) return { heads: [name(created[created.length - 1] as Word)], replaces: true };
      if (scan.flags.has('detach') || (sub === 'switch' && scan.flags.has('d'))) return null;
      const target = scan.operands[0];
      if (!target) return null;
      const t = literal(target);
      // `git checkout origin/main` (with --track, or a remote branch of that name) creates and checks out `main`.
      const heads = t === '-' ? [null] : t !== null && t.includes('/') ? [name(target), t.slice(t.indexOf('/') + 1)] : [name(target)];
      // `git switch` only ever names a branch; `git checkout NAME` may restore a file and leave HEAD alone.
      return { heads, replaces: sub === 'switch' };
    }
    case 'branch': {
      const scan = scanAll(argv, 1, { short: 'tu', long: ['track', 'set-upstream-to'] });
      const moves = scan.flags.has('m') || scan.flags.has('M') || scan.flags.has('move');
      const last = scan.operands[scan.operands.length - 1];
      return moves && last ? { heads: [name(last)], replaces: false } : null;
    }
    case 'symbolic-ref': {
      const scan = scanAll(argv, 1, { short: 'm' });
      if (scan.flags.has('d') || scan.flags.has('delete') || scan.operands.length < 2) return null;
      return literal(scan.operands[0] as Word) === 'HEAD' ? { heads: [name(scan.operands[1] as Word)], replaces: true } : 'refs';
    }
    case 'rebase': {
      // `git rebase UPSTREAM BRANCH` checks BRANCH out first.
      const scan = scanAll(argv, 1, REBASE);
      return scan.operands.length >= 2 ? { heads: [name(scan.operands[scan.operands.length - 1] as Word)], replaces: false } : null;
    }
    default:
      return null;
  }
}

function name(w: Word): string | null {
  const t = literal(w);
  return t === null ? null : t.replace(/^(refs\/)?heads\//, '');
}
