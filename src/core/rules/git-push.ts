import type { Invocation } from '../shell/invocation.js';
import { hasLong, scanAll } from '../shell/options.js';
import { approximate, literal } from '../shell/words.js';
import { type GitCall, gitCall, isProtectedBranch } from './git.js';
import { currentBranch } from './git-head.js';

/**
 * What a `git push` would do, read from its arguments: remote, refspecs, force and
 * delete flags. The hook gates pushes itself only where the pre-push hook (which sees
 * the exact refs and commits) is not installed; this gives it the facts and a
 * stable description to fingerprint.
 */
export interface PushRef {
  /** The refspec as written, e.g. "+main:release"; null when only known at run time. */
  readonly spec: string | null;
  /** The remote ref it updates, without refs/heads/; null when unknown. */
  readonly destination: string | null;
  readonly force: boolean;
  readonly delete: boolean;
}

export interface PushFinding {
  /** The remote name or URL; '' for the default remote; null when only known at run time. */
  readonly remote: string | null;
  readonly refs: readonly PushRef[];
  readonly force: boolean;
  readonly forceWithLease: boolean;
  readonly delete: boolean;
  readonly mirror: boolean;
  readonly all: boolean;
  readonly tags: boolean;
  readonly prune: boolean;
  readonly dryRun: boolean;
  readonly noVerify: boolean;
  /** The directory git pushes from, null when unknown. */
  readonly dir: string | null;
  /** `--git-dir`, `--work-tree` or `GIT_DIR`: the repository may not be the directory's. */
  readonly elsewhere: boolean;
  /** The words after `push`, with expansions shown as `$…`: a stable description to fingerprint. */
  readonly args: readonly string[];
  readonly raw: string;
}

const SPEC = { short: 'o', long: ['repo', 'receive-pack', 'exec', 'push-option'] };

export function pushFinding(inv: Invocation, home: string): PushFinding | null {
  const call = gitCall(inv, home);
  return call?.sub === 'push' ? pushOf(call, inv) : null;
}

function pushOf(call: GitCall, inv: Invocation): PushFinding {
  const argv = [inv.argv[0] as (typeof inv.argv)[number], ...call.args];
  const scan = scanAll(argv, 1, SPEC);
  // Dangerous options count abbreviated (git accepts `--forc`); --dry-run only in full.
  const flag = (...names: string[]) => names.some((n) => (n.length === 1 ? scan.flags.has(n) : hasLong(scan, n, 2)));
  const leaseFlags = hasLong(scan, 'force-with-lease', 7) || hasLong(scan, 'force-if-includes', 7);
  const del = flag('d', 'delete');
  const force = flag('f', 'force');
  const operands = scan.operands;
  const remoteWord = operands[0];
  const refs = operands.slice(1).map((w): PushRef => {
    const spec = literal(w);
    if (spec === null) return { spec: null, destination: null, force, delete: del };
    return refOf(spec, force, del);
  });
  return {
    remote: remoteWord === undefined ? '' : literal(remoteWord),
    refs,
    force: force || refs.some((r) => r.force),
    forceWithLease: leaseFlags,
    delete: del || refs.some((r) => r.delete),
    mirror: flag('mirror'),
    all: flag('all', 'branches'),
    tags: flag('tags'),
    prune: flag('prune'),
    dryRun: scan.flags.has('n') || scan.flags.has('dry-run'),
    noVerify: [...(scan.longs ?? [])].some((f) => f.length >= 4 && 'no-verify'.startsWith(f)),
    dir: call.dir,
    elsewhere: call.elsewhere,
    args: call.args.map((w) => approximate(w, inv.vars).split('\u0000').join('$…')),
    raw: inv.raw,
  };
}

function refOf(spec: string, forceAll: boolean, deleteAll: boolean): PushRef {
  const force = forceAll || spec.startsWith('+');
  const body = spec.replace(/^\+/, '');
  if (deleteAll) return { spec, destination: normalise(body), force, delete: true };
  if (body.startsWith(':')) return { spec, destination: normalise(body.slice(1)), force, delete: true };
  const colon = body.indexOf(':');
  const dst = colon === -1 ? body : body.slice(colon + 1);
  return { spec, destination: dst === '' ? null : normalise(dst), force, delete: false };
}

function normalise(ref: string): string | null {
  if (ref === '' || /[*?[]/.test(ref)) return null;
  return ref.replace(/^refs\/heads\//, '');
}

/**
 * The tier a push needs when theguard gates it itself, mirroring the pre-push hook's
 * policy: a protected branch needs the push tier, force or delete of a protected
 * branch or of a tag the delete tier, anything else nothing. A destination the
 * analyser cannot name (a default push in a detached HEAD, `--all`, `--mirror`, a
 * variable) counts as protected.
 */
export function pushTier(push: PushFinding, protectedBranches: readonly string[]): { tier: 'push' | 'delete'; why: string } | null {
  if (push.dryRun) return null;
  const destructive = push.force || push.forceWithLease || push.delete;
  if (push.mirror) return { tier: 'delete', why: 'it mirrors every ref, overwriting and deleting remote branches' };
  if (push.all) return destructive || push.prune ? { tier: 'delete', why: 'it force-updates or prunes every branch' } : { tier: 'push', why: 'it pushes every branch, protected ones included' };
  let dests = push.refs.map((r) => ({ name: r.destination, force: r.force || push.forceWithLease, delete: r.delete }));
  if (dests.length === 0) {
    if (push.tags && !destructive) return null;
    dests = [{ name: 'HEAD', force: destructive, delete: push.delete }];
  }
  const head = () => (push.dir === null || push.elsewhere ? null : currentBranch(push.dir));
  dests = dests.map((d) => (d.name === 'HEAD' ? { ...d, name: head() } : d));
  let tier: { tier: 'push' | 'delete'; why: string } | null = null;
  for (const d of dests) {
    const isTag = d.name?.startsWith('refs/tags/') ?? false;
    const guarded = d.name === null || isProtectedBranch(d.name, protectedBranches);
    const label = d.name === null ? 'a branch theguard cannot name' : d.name;
    if ((guarded || isTag) && (d.force || d.delete || push.prune)) return { tier: 'delete', why: `it ${d.delete ? 'deletes' : 'force-updates'} ${label}` };
    if (guarded && !isTag) tier ??= { tier: 'push', why: `it pushes to ${label}${d.name === null ? '' : ', a protected branch'}` };
  }
  return tier;
}
