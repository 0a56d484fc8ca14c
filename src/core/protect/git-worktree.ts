import { join, posix } from 'node:path';
import { CONFIG_SEARCH_PLACES } from '../config-snapshot.js';
import { gitStatus } from '../git/run.js';
import { insideOrEqual } from '../lib/inside.js';
import { lexists } from '../lib/probe.js';
import { findProjectRoot } from '../lib/project.js';
import { gitCall } from '../rules/git.js';
import type { Invocation } from '../shell/invocation.js';
import { literal } from '../shell/words.js';
import type { SelfContext, SelfHit } from './bash.js';
import { classifyPath } from './targets.js';

/**
 * git commands that rewrite the work tree without naming theguard's files: `git stash
 * -u` takes an untracked `.theguard.json` or `.claude/settings.json` away (until the
 * stash is popped), `git clean -x` deletes the state dir, `git checkout .` or `git
 * restore .` throws away theguard's changes to a tracked settings file. Which files they
 * touch depends on git's view of them (tracked, changed, untracked, ignored), so git is
 * asked once, for theguard's own files only, and only when the command is one of these.
 *
 * If git cannot answer (not a repository, say), the command the agent runs will meet the
 * same git and fail the same way, so nothing is refused on that account.
 */
type State = 'changed' | 'untracked' | 'ignored';

interface Effect {
  /** Which states of a file the command removes or reverts. */
  readonly takes: ReadonlySet<State>;
  /** Also overwrites tracked, unchanged files (a checkout from another commit). */
  readonly fromSource: boolean;
  /** The pathspecs it is limited to (absolute), or 'all'. */
  readonly paths: readonly string[] | 'all';
  readonly verb: string;
}

const CHANGED = new Set<State>(['changed']);

export function gitWorktreeHit(inv: Invocation, ctx: SelfContext): SelfHit | null {
  const call = gitCall(inv, ctx.home);
  if (!call || call.sub === null || call.dir === null || call.elsewhere) return null;
  const args = call.args.map((w) => literal(w));
  const effect = effectOf(call.sub, args, call.dir);
  if (!effect) return null;
  const root = findProjectRoot(call.dir);
  const files = guardedFiles(root, call.dir, ctx).filter((f) => effect.paths === 'all' || effect.paths.some((p) => insideOrEqual(f, p) || insideOrEqual(p, f)));
  if (files.length === 0) return null;
  const states = effect.fromSource ? null : statesOf(root, files);
  for (const file of files) {
    const state = states === null ? 'changed' : states.get(file);
    if (state === undefined || (!effect.fromSource && !effect.takes.has(state))) continue;
    const target = classifyPath(ctx.paths, file)[0];
    const what = target?.what ?? "theguard's files";
    const how = state === 'changed' ? (effect.fromSource ? '' : ', which has changes git would throw away') : state === 'untracked' ? ', which git does not track' : ', which git ignores';
    return {
      id: target?.id ?? 'self.config',
      why: `\`git ${call.sub}\` would ${effect.verb} ${what} (${file}${how})`,
      hint: HINTS[call.sub],
    };
  }
  return null;
}

const HINTS: Readonly<Record<string, string>> = {
  stash: "Name the paths to stash (`git stash push -- src/`) so that theguard's files stay out of it.",
  clean: "Name the paths to clean (`git clean -f -- build/`), or list them first with `git clean -n`, so that theguard's files stay out of it.",
  checkout: "Name the files to restore (`git checkout -- src/app.ts`) so that theguard's files stay out of it.",
  restore: "Name the files to restore (`git restore src/app.ts`) so that theguard's files stay out of it.",
};

/** What a git subcommand does to the work tree, read off its arguments. */
function effectOf(sub: string, args: readonly (string | null)[], cwd: string): Effect | null {
  const { flags, operands, dashdash } = split(args, VALUE_OPTIONS[sub] ?? []);
  const has = (...names: string[]) => names.some((n) => flags.includes(n));
  const paths = (list: readonly (string | null)[]): readonly string[] | 'all' => (list.length === 0 || has('--pathspec-from-file') ? 'all' : pathspecs(list, cwd));
  switch (sub) {
    case 'stash': {
      // `git stash [push|save] [options] [pathspecs]`; other subcommands leave the work tree alone.
      const first = args[0];
      const named = typeof first === 'string' && !first.startsWith('-');
      const verb = named ? first : 'push';
      if (verb !== 'push' && verb !== 'save') return null;
      const rest = split(named ? args.slice(1) : args, VALUE_OPTIONS.stash ?? []);
      const on = (long: string, letter: string) => rest.flags.includes(long) || shortHas(rest.flags, letter);
      const takes = new Set<State>(['changed']);
      if (on('--include-untracked', 'u') || on('--all', 'a')) takes.add('untracked');
      if (on('--all', 'a')) takes.add('ignored');
      // `save` takes a message, not paths; an unknown subcommand word could be anything.
      const specs = verb === 'save' || first === null ? 'all' : rest.operands.length === 0 || rest.flags.includes('--pathspec-from-file') ? 'all' : pathspecs(rest.operands, cwd);
      return { takes, fromSource: false, paths: specs, verb: takes.size > 1 ? 'take away' : 'revert' };
    }
    case 'clean': {
      if (has('-n', '--dry-run') || shortHas(flags, 'n')) return null;
      const onlyIgnored = has('-X') || shortHas(flags, 'X');
      const takes = new Set<State>(onlyIgnored ? ['ignored'] : ['untracked']);
      if (has('-x') || shortHas(flags, 'x')) takes.add('ignored');
      return { takes, fromSource: false, paths: paths(operands), verb: 'delete' };
    }
    case 'checkout': {
      if (has('-f', '--force') || shortHas(flags, 'f')) return { takes: CHANGED, fromSource: false, paths: 'all', verb: 'revert' };
      if (operands.length === 0) return null;
      // `git checkout X` may name a branch or a path; `git checkout TREE -- paths` takes paths from TREE.
      const before = dashdash >= 0 ? operands.slice(0, dashdash) : operands;
      const after = dashdash >= 0 ? operands.slice(dashdash) : [];
      const fromSource = dashdash >= 0 ? before.length > 0 : operands.length > 1;
      return { takes: CHANGED, fromSource, paths: paths([...before, ...after]), verb: fromSource ? 'overwrite' : 'revert' };
    }
    case 'restore': {
      const worktree = has('-W', '--worktree') || shortHas(flags, 'W') || !(has('-S', '--staged') || shortHas(flags, 'S'));
      if (!worktree) return null;
      const fromSource = flags.some((f) => f === '-s' || f.startsWith('--source') || /^-[^-]*s/.test(f));
      return { takes: CHANGED, fromSource, paths: paths(operands), verb: fromSource ? 'overwrite' : 'revert' };
    }
    case 'switch':
      return has('-f', '--force', '--discard-changes') || shortHas(flags, 'f') ? { takes: CHANGED, fromSource: false, paths: 'all', verb: 'revert' } : null;
    case 'reset':
      return flags.some((f) => f.length >= 4 && '--hard'.startsWith(f)) ? { takes: CHANGED, fromSource: false, paths: 'all', verb: 'revert' } : null;
    default:
      return null;
  }
}

/** Options that take the next word as their value, per subcommand. */
const VALUE_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  stash: ['-m', '--message', '--pathspec-from-file'],
  clean: ['-e', '--exclude'],
  checkout: ['-b', '-B', '--orphan', '--conflict', '--pathspec-from-file'],
  restore: ['-s', '--source', '--pathspec-from-file'],
  switch: ['-c', '-C', '--create', '--force-create', '--orphan', '--conflict'],
  reset: ['--pathspec-from-file'],
};

/** Flags, operands, and where `--` stood among the operands (-1 if nowhere). A word only known at run time is an operand (null). */
function split(args: readonly (string | null)[], withValue: readonly string[]): { flags: string[]; operands: (string | null)[]; dashdash: number } {
  const flags: string[] = [];
  const operands: (string | null)[] = [];
  let dashdash = -1;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string | null;
    if (dashdash >= 0 || a === null || !a.startsWith('-') || a === '-') {
      operands.push(a);
      continue;
    }
    if (a === '--') {
      dashdash = operands.length;
      continue;
    }
    flags.push(a.includes('=') ? (a.split('=')[0] as string) : a);
    if (withValue.includes(a)) i++;
  }
  return { flags, operands, dashdash };
}

function shortHas(flags: readonly string[], letter: string): boolean {
  return flags.some((f) => /^-[a-zA-Z]+$/.test(f) && f.includes(letter));
}

/** Absolute paths for literal pathspecs; anything git would read as a pattern or magic covers everything. */
function pathspecs(list: readonly (string | null)[], cwd: string): readonly string[] | 'all' {
  const out: string[] = [];
  for (const p of list) {
    if (p === null || p.startsWith(':') || /[*?[\]]/.test(p)) return 'all';
    out.push(posix.normalize(posix.isAbsolute(p) ? p : posix.join(cwd, p)).replace(/(.)\/+$/, '$1'));
  }
  return out;
}

/**
 * theguard's files in the work tree that git could take away: the configuration files
 * the search would find (from the command's directory up to the root), Claude Code's
 * project settings, the state dir, husky's and lefthook's hook files. Only those that exist.
 */
function guardedFiles(root: string, cwd: string, ctx: SelfContext): string[] {
  const dirs: string[] = [];
  for (let d = cwd; insideOrEqual(d, root); d = posix.dirname(d)) {
    dirs.push(d);
    if (d === root || d === '/') break;
  }
  const state = ctx.paths.absolute.find((t) => t.id === 'self.state-dir')?.path;
  const candidates = [
    ...dirs.flatMap((d) => CONFIG_SEARCH_PLACES.map((p) => join(d, p))),
    join(root, '.claude', 'settings.json'),
    join(root, '.claude', 'settings.local.json'),
    ...(state && insideOrEqual(state, root) ? [state] : []),
    join(root, '.husky', 'pre-push'),
    join(root, '.husky', '_'),
    ...['lefthook.yml', '.lefthook.yml', 'lefthook.yaml', '.lefthook.yaml', 'lefthook-local.yml', '.lefthook-local.yml'].map((f) => join(root, f)),
  ];
  return [...new Set(candidates)].filter((f) => lexists(f) && (!f.endsWith('/package.json') || classifyPath(ctx.paths, f).length > 0));
}

/** git's view of each file: changed (tracked, differs from HEAD), untracked, ignored; absent when clean. */
function statesOf(root: string, files: readonly string[]): Map<string, State> | null {
  let out: string;
  try {
    const r = gitStatus(['status', '--porcelain=v1', '-z', '--ignored=matching', '--untracked-files=all', '--', ...files], { cwd: root });
    if (r.status !== 0) return new Map();
    out = r.stdout;
  } catch {
    return new Map();
  }
  const states = new Map<string, State>();
  const entries = out.split('\0');
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as string;
    if (e.length < 4) continue;
    const xy = e.slice(0, 2);
    const path = posix.join(root, e.slice(3)).replace(/(.)\/+$/, '$1');
    if (xy[0] === 'R' || xy[0] === 'C') i++; // the rename's source follows
    const state: State = xy === '??' ? 'untracked' : xy === '!!' ? 'ignored' : 'changed';
    for (const f of files) if (insideOrEqual(path, f) || insideOrEqual(f, path)) if (!states.has(f)) states.set(f, state);
  }
  return states;
}
