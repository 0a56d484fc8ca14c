import type { Invocation } from '../shell/invocation.js';
import { hasLong, scanAll } from '../shell/options.js';
import type { Word } from '../shell/syntax.js';
import { approximate, literal } from '../shell/words.js';
import { type GitCall, gitCall, isProtectedBranch } from './git.js';
import { branchTarget, currentBranch } from './git-head.js';

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
  /**
   * No colon: git pushes to the full name of the local ref the source names, so a
   * local symbolic ref (`refs/heads/x` -> `refs/heads/main`) pushes main.
   */
  readonly implicit: boolean;
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
  const refs: PushRef[] = [];
  const rest = operands.slice(1);
  for (let i = 0; i < rest.length; i++) {
    const spec = literal(rest[i] as Word);
    // `git push origin tag v1` is `refs/tags/v1` (`:refs/tags/v1` with --delete).
    const tag = spec === 'tag' && i + 1 < rest.length ? literal(rest[++i] as Word) : undefined;
    if (spec === null || tag === null) refs.push({ spec: null, destination: null, implicit: false, force, delete: del });
    else refs.push(refOf(tag === undefined ? spec : `refs/tags/${tag}`, force, del));
  }
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
  if (deleteAll) return { spec, destination: remoteName(body), implicit: false, force, delete: true };
  if (body.startsWith(':')) return { spec, destination: remoteName(body.slice(1)), implicit: false, force, delete: true };
  const colon = body.indexOf(':');
  if (colon === -1) return { spec, destination: localName(body), implicit: true, force, delete: false };
  const dst = body.slice(colon + 1);
  return { spec, destination: dst === '' ? null : remoteName(dst), implicit: false, force, delete: false };
}

/**
 * A destination as git matches it against the remote's refs (refname_match): `X` is
 * `X`, `refs/X`, `refs/tags/X`, `refs/heads/X`, ..., so `main`, `heads/main` and
 * `refs/heads/main` all update refs/heads/main. Branches are named without
 * refs/heads/; tags keep refs/tags/.
 */
function remoteName(ref: string): string | null {
  if (ref === '' || /[*?[]/.test(ref)) return null;
  return ref.replace(/^(refs\/)?heads\//, '');
}

/**
 * A source without a colon pushes to the full name of the local ref it names: `@` and
 * `HEAD` are the current branch, `heads/main` and `refs/heads/main` are main.
 */
function localName(ref: string): string | null {
  if (ref === '@') return 'HEAD';
  return remoteName(ref);
}

/**
 * What the local repository says about names a push uses. On disk by default; the
 * decision layer adds what earlier commands of the same line change
 * (`git checkout main && git push origin HEAD`).
 */
export interface LocalRefs {
  /** The branches HEAD may name when the push runs (null: one theguard cannot name). */
  heads(dir: string): readonly (string | null)[];
  /** The branch a local branch name pushes: itself, or a symbolic ref's target; null when unknown. */
  branch(dir: string, name: string): string | null;
}

export const ON_DISK: LocalRefs = { heads: (dir) => [currentBranch(dir)], branch: branchTarget };

/**
 * The tier a push needs when theguard gates it itself, mirroring the pre-push hook's
 * policy: a protected branch needs the push tier, force or delete of a protected
 * branch or of a tag the delete tier, anything else nothing. A destination the
 * analyser cannot name (a default push in a detached HEAD, `--all`, `--mirror`, a
 * variable) counts as protected.
 */
export function pushTier(push: PushFinding, protectedBranches: readonly string[], local: LocalRefs = ON_DISK): { tier: 'push' | 'delete'; why: string } | null {
  if (push.dryRun) return null;
  const destructive = push.force || push.forceWithLease || push.delete;
  if (push.mirror) return { tier: 'delete', why: 'it mirrors every ref, overwriting and deleting remote branches' };
  if (push.all) return destructive || push.prune ? { tier: 'delete', why: 'it force-updates or prunes every branch' } : { tier: 'push', why: 'it pushes every branch, protected ones included' };
  let dests = push.refs.map((r) => ({ name: r.destination, implicit: r.implicit, force: r.force || push.forceWithLease, delete: r.delete }));
  if (dests.length === 0) {
    if (push.tags && !destructive) return null;
    dests = [{ name: 'HEAD', implicit: true, force: destructive, delete: push.delete }];
  }
  const dir = push.dir === null || push.elsewhere ? null : push.dir;
  const named = dests.flatMap((d) => {
    if (d.name === 'HEAD') return (dir === null ? [null] : local.heads(dir)).map((name) => ({ ...d, name }));
    if (d.implicit && dir !== null && d.name !== null && !d.name.startsWith('refs/')) return [{ ...d, name: local.branch(dir, d.name) }];
    return [d];
  });
  let tier: { tier: 'push' | 'delete'; why: string } | null = null;
  for (const d of named) {
    const isTag = d.name?.startsWith('refs/tags/') ?? false;
    const guarded = d.name === null || isProtectedBranch(d.name, protectedBranches);
    const label = d.name === null ? 'a branch theguard cannot name' : d.name;
    if ((guarded || isTag) && (d.force || d.delete || push.prune)) return { tier: 'delete', why: `it ${d.delete ? 'deletes' : 'force-updates'} ${label}` };
    if (guarded && !isTag) tier ??= { tier: 'push', why: `it pushes to ${label}${d.name === null ? '' : ', a protected branch'}` };
  }
  return tier;
}
