import { gitGlobals } from '../shell/git-globals.js';
import type { Invocation } from '../shell/invocation.js';
import { hasLong, scanAll } from '../shell/options.js';
import { dirPath } from '../shell/paths.js';
import type { Word } from '../shell/syntax.js';
import { approximate, literal } from '../shell/words.js';
import { wildcard } from '../shell/glob.js';
import type { MatchEnv } from './rule.js';

/** A git invocation, read past its global options. */
export interface GitCall {
  /** The subcommand, or null when it is only known at run time. */
  readonly sub: string | null;
  /** The words after the subcommand. */
  readonly args: readonly Word[];
  /** `-c` values as text, e.g. "core.hooksPath=/dev/null". */
  readonly configs: readonly string[];
  /** The directory git works in (`-C` applied), null when unknown. */
  readonly dir: string | null;
  /** `--git-dir`/`--work-tree`/`GIT_DIR`: the repository may not be the directory's. */
  readonly elsewhere: boolean;
}

export function gitCall(inv: Invocation, home: string): GitCall | null {
  if (inv.name !== 'git') return null;
  const g = gitGlobals(inv.argv);
  let dir = inv.cwd;
  for (const d of g.dirs) dir = dir === null && literal(d)?.startsWith('/') !== true ? null : dirPath(d, dir, inv.vars, home);
  const subWord = inv.argv[g.index];
  const elsewhere = g.elsewhere || inv.env.some((e) => e.name === 'GIT_DIR' || e.name === 'GIT_WORK_TREE');
  return {
    sub: subWord ? literal(subWord) : '',
    args: inv.argv.slice(g.index + 1),
    configs: g.configs.map((w) => approximate(w, inv.vars)),
    dir,
    elsewhere,
  };
}

function git(inv: Invocation, env: MatchEnv, sub: string): GitCall | null {
  const call = gitCall(inv, env.home);
  return call && (call.sub === sub || call.sub === null) ? call : null;
}

const asInv = (call: GitCall, inv: Invocation): Invocation => ({ ...inv, argv: [inv.argv[0] as Word, ...call.args] });

/** `--hard`, or an abbreviation git accepts (`--ha`, `--har`). */
export function gitResetHard(inv: Invocation, env: MatchEnv): boolean {
  const call = git(inv, env, 'reset');
  return call !== null && call.args.some((w) => {
    const t = literal(w);
    return t === null ? call.sub === null : t.length >= 4 && '--hard'.startsWith(t);
  });
}

export function gitCleanForce(inv: Invocation, env: MatchEnv): boolean {
  const call = git(inv, env, 'clean');
  if (!call) return false;
  const scan = scanAll(asInv(call, inv).argv, 1, { short: 'eX', long: ['exclude'] });
  const noForceNeeded = call.configs.some((c) => /^clean\.requireforce=(false|no|off|0)$/i.test(c));
  const forced = scan.flags.has('f') || hasLong(scan, 'force', 2) || noForceNeeded;
  const dry = scan.flags.has('n') || scan.flags.has('dry-run');
  return forced && !dry;
}

/** `git branch -D main` (or `--delete --force`) on a branch matching the protected globs. */
export function gitBranchForceDeleteProtected(inv: Invocation, env: MatchEnv): string | null {
  const call = git(inv, env, 'branch');
  if (!call) return null;
  const scan = scanAll(asInv(call, inv).argv, 1, { short: 'tu', long: ['track', 'set-upstream-to', 'contains', 'no-contains', 'merged', 'no-merged', 'points-at', 'sort', 'format', 'color'] });
  const force = scan.flags.has('D') || ((scan.flags.has('d') || hasLong(scan, 'delete', 2)) && (scan.flags.has('f') || hasLong(scan, 'force', 2)));
  if (!force) return null;
  for (const w of scan.operands) {
    const name = literal(w);
    if (name === null) return `the branch \`${w.raw}\` is only known when it runs`;
    if (isProtectedBranch(name, env.protectedBranches)) return `${name} is a protected branch`;
  }
  return null;
}

/** Branch globs: `*` matches any characters, `release/**` any branch under release/. */
export function isProtectedBranch(name: string, globs: readonly string[]): boolean {
  const bare = name.replace(/^refs\/heads\//, '');
  return globs.some((g) => wildcard(g.replace(/\*\*/g, '*'), bare));
}
