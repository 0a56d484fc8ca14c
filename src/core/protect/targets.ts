import { posix } from 'node:path';
import { strictlyInside } from '../lib/inside.js';
import { matchComponent, wildcard } from '../shell/glob.js';

/**
 * What self-protection guards, as paths. Two kinds:
 * - absolute targets computed from the context (state dir, pepper dir, outbox, key
 *   file, hooksPath dirs), guarded against any access or against writes;
 * - shapes matched by name wherever they are (`.theguard.json`, `.claude/settings.json`,
 *   `.git/hooks/pre-push`, `lefthook.yml`), since config discovery and git look in
 *   every directory up to the root. Shapes guard against writes only: reading them is fine.
 */
export type SelfId =
  | 'self.state-dir'
  | 'self.pepper'
  | 'self.outbox'
  | 'self.api-key'
  | 'self.config'
  | 'self.claude-hooks'
  | 'self.pre-push-hook'
  | 'self.hooks-path'
  | 'self.no-verify'
  | 'self.theguard-cli'
  | 'self.env-override';

export type Guard = 'any' | 'write';

/** A file whose write is judged by what changes in it (tools can show the change). */
export type Special = 'package-json' | 'claude-settings' | 'lefthook' | 'git-config';

export interface Target {
  readonly id: SelfId;
  readonly what: string;
  readonly guard: Guard;
  readonly special?: Special | undefined;
}

interface AbsoluteTarget extends Target {
  readonly path: string;
}

interface ShapeTarget extends Target {
  /** Names for consecutive components, outermost first. */
  readonly tail: readonly (readonly string[])[];
  /** A directory shape (`.git/hooks`) covers everything below it; a file shape only the file. */
  readonly dir?: boolean;
}

export interface Hit extends Target {
  /** 'inside': the path is the target or below it. 'ancestor': the path holds the target. */
  readonly relation: 'inside' | 'ancestor';
  /** The path (or pattern) the command or tool names. */
  readonly path: string;
  /** The guarded path itself, for absolute targets. */
  readonly target?: string | undefined;
}

export interface ProtectedPaths {
  readonly projectRoot: string;
  readonly absolute: readonly AbsoluteTarget[];
  readonly shapes: readonly ShapeTarget[];
  /** Lowercase names that, in a path the analyser cannot resolve, suggest a target. */
  readonly hints: readonly { readonly text: string; readonly target: Target }[];
}

export interface TargetInput {
  readonly projectRoot: string;
  readonly stateDir: string;
  readonly userConfigDirs: readonly string[];
  readonly outboxDirs: readonly string[];
  readonly apiKeyFile?: string | undefined;
  readonly hooksPaths: readonly string[];
  readonly home: string;
  readonly xdgConfigHome: string;
  /** `<git-common-dir>/theguard` of the project's repository, when known. */
  readonly gitPrivateDirs?: readonly string[] | undefined;
}

const CONFIG_NAMES = [
  '.theguard.json', '.theguardrc', '.theguardrc.json', '.theguardrc.yaml', '.theguardrc.yml',
  '.theguardrc.js', '.theguardrc.cjs', '.theguardrc.mjs', '.theguardrc.ts',
  'theguard.config.js', 'theguard.config.cjs', 'theguard.config.mjs', 'theguard.config.ts',
];
const RC_NAMES = ['theguardrc', 'theguardrc.json', 'theguardrc.yaml', 'theguardrc.yml'];
const SETTINGS_NAMES = ['settings.json', 'settings.local.json'];
const LEFTHOOK_NAMES = ['lefthook.yml', 'lefthook.yaml', '.lefthook.yml', '.lefthook.yaml', 'lefthook-local.yml', 'lefthook-local.yaml', '.lefthook-local.yml', 'lefthook.json', '.lefthook.json', 'lefthook.toml', '.lefthook.toml'];

const CONFIG: Target = { id: 'self.config', what: "theguard's configuration", guard: 'write' };
const HOOKS: Target = { id: 'self.claude-hooks', what: "Claude Code's hook settings", guard: 'write', special: 'claude-settings' };
const PRE_PUSH: Target = { id: 'self.pre-push-hook', what: 'the git pre-push hook', guard: 'write' };
const GIT_CONFIG: Target = { id: 'self.hooks-path', what: "git's configuration (core.hooksPath)", guard: 'write', special: 'git-config' };
/** The launcher every hook entry calls, the install record and the chained hook: whoever writes them decides what a push runs. */
const LAUNCHER: Target = { id: 'self.pre-push-hook', what: "theguard's pre-push launcher and install record", guard: 'any' };

const SHAPES: readonly ShapeTarget[] = [
  { ...CONFIG, tail: [CONFIG_NAMES] },
  { ...CONFIG, tail: [['.config'], RC_NAMES] },
  { ...CONFIG, what: "theguard's configuration (the \"theguard\" key of package.json)", special: 'package-json', tail: [['package.json']] },
  { ...HOOKS, tail: [['.claude'], SETTINGS_NAMES] },
  { ...HOOKS, tail: [['claude-code'], ['managed-settings.json']] },
  { ...HOOKS, tail: [['ClaudeCode'], ['managed-settings.json']] },
  { ...PRE_PUSH, tail: [['.git'], ['hooks'], ['pre-push']] },
  { ...PRE_PUSH, tail: [['.git'], ['hooks']], dir: true },
  { ...PRE_PUSH, tail: [['.husky'], ['pre-push']] },
  { ...PRE_PUSH, tail: [['.husky'], ['_'], ['pre-push']] },
  // husky's runner (`h`) and stubs: what git really runs in a husky layout.
  { ...PRE_PUSH, tail: [['.husky'], ['_']], dir: true },
  { ...LAUNCHER, tail: [['.git'], ['theguard']], dir: true },
  { ...PRE_PUSH, special: 'lefthook', tail: [LEFTHOOK_NAMES] },
  { ...GIT_CONFIG, tail: [['.git'], ['config', 'config.worktree']] },
  { ...GIT_CONFIG, tail: [['.gitconfig']] },
  { ...GIT_CONFIG, tail: [['etc'], ['gitconfig']] },
];

export function protectedPaths(input: TargetInput): ProtectedPaths {
  const norm = (p: string) => posix.normalize(p).replace(/(.)\/+$/, '$1');
  const absolute: AbsoluteTarget[] = [
    { path: norm(input.stateDir), id: 'self.state-dir', what: "theguard's state directory", guard: 'any' },
    ...input.userConfigDirs.map((d): AbsoluteTarget => ({ path: norm(d), id: 'self.pepper', what: "theguard's pepper and user settings", guard: 'any' })),
    ...input.outboxDirs.map((d): AbsoluteTarget => ({ path: norm(d), id: 'self.outbox', what: "theguard's outbox, where codes are delivered", guard: 'any' })),
    ...input.hooksPaths.map((d): AbsoluteTarget => ({ path: norm(posix.join(d, 'pre-push')), ...PRE_PUSH })),
    ...(input.gitPrivateDirs ?? []).map((d): AbsoluteTarget => ({ path: norm(d), ...LAUNCHER })),
    // husky's runner sources this before anything else: an `exit 0` there skips every hook.
    ...[...new Set([input.xdgConfigHome, posix.join(input.home, '.config')])].map((d): AbsoluteTarget => ({ path: norm(posix.join(d, 'husky', 'init.sh')), ...PRE_PUSH })),
  ];
  if (input.apiKeyFile) absolute.push({ path: norm(input.apiKeyFile), id: 'self.api-key', what: "theguard's email API key file", guard: 'any' });
  const shapes = SHAPES;
  // `git/config` is a git config only under the XDG config home, not in any dir named git.
  const xdgGit = norm(posix.join(input.xdgConfigHome, 'git', 'config'));
  absolute.push({ path: xdgGit, ...GIT_CONFIG });
  const hints = [
    ...absolute.filter((t) => t.guard === 'any').map((t) => ({ text: posix.basename(t.path).toLowerCase(), target: t as Target })),
    { text: 'theguard', target: absolute.find((t) => t.id === 'self.pepper') as Target },
  ];
  return { projectRoot: norm(input.projectRoot), absolute, shapes, hints };
}

/** Which targets a concrete absolute path touches. */
export function classifyPath(p: ProtectedPaths, path: string): Hit[] {
  const hits: Hit[] = [];
  for (const t of p.absolute) {
    if (path === t.path || strictlyInside(path, t.path)) hits.push({ ...t, relation: 'inside', path, target: t.path });
    else if (strictlyInside(t.path, path)) hits.push({ ...t, relation: 'ancestor', path, target: t.path });
  }
  const comps = path.split('/').filter(Boolean);
  for (const s of p.shapes) {
    if (shapeAt(comps, s, (c, names) => names.includes(c) || (names === SETTINGS_NAMES && /^settings.*\.json$/.test(c)))) hits.push({ ...s, relation: 'inside', path });
  }
  return hits;
}

/** Which targets a glob pattern (absolute, shell-escaped) can reach. */
export function classifyPattern(p: ProtectedPaths, pattern: string): Hit[] {
  const hits: Hit[] = [];
  const comps = pattern.split('/').filter(Boolean);
  for (const t of p.absolute) {
    const rel = relate(comps, t.path.split('/').filter(Boolean));
    if (rel) hits.push({ ...t, relation: rel, path: pattern, target: t.path });
  }
  // A bare `*` names whatever exists; only a pattern with some literal text aims at a shaped file.
  // After a `**` (find's `-name`), `*.json` also names `.theguard.json`, as find's -name does.
  const findLike = comps[comps.length - 2] === '**';
  for (const s of p.shapes) {
    if (shapeAt(globstarTail(comps, s.tail.length), s, (c, names) => c === '**' || (!/^[*?]+$/.test(c) && names.some((n) => (findLike ? wildcard(c, n) : matchComponent(c, n)))))) hits.push({ ...s, relation: 'inside', path: pattern });
  }
  return hits;
}

/**
 * Guarded files that exist below `dir`, laid out as a shape says: `mv .claude x` moves
 * `.claude/settings.json`, `rm -rf .git` deletes `.git/theguard`. Only the structure a
 * shape names is looked at (`dir/.claude/settings.json`, not any depth below), with one
 * readdir and a stat per candidate. The hooks dir shape is left out: every repository
 * has one; its `pre-push` file is a shape of its own.
 */
export function shapesBelow(p: ProtectedPaths, dir: string, exists: (path: string) => boolean, list: (dir: string) => ReadonlySet<string>): Hit[] {
  const comps = dir.split('/').filter(Boolean);
  const here = list(dir);
  if (here.size === 0) return [];
  const hits: Hit[] = [];
  for (const s of p.shapes) {
    if (s.dir && s.guard !== 'any') continue;
    const n = s.tail.length;
    for (let k = Math.min(n - 1, comps.length); k >= 0; k--) {
      // The last k components of dir are the shape's first k: the rest lies below it.
      if (!s.tail.slice(0, k).every((names, i) => names.includes(comps[comps.length - k + i] as string))) continue;
      for (const rest of product(s.tail.slice(k))) {
        if (!here.has(rest[0] as string)) continue;
        const file = posix.join(dir, ...rest);
        if (exists(file)) hits.push({ ...s, relation: 'ancestor', path: file });
      }
    }
  }
  return hits;
}

function product(lists: readonly (readonly string[])[]): string[][] {
  return lists.reduce<string[][]>((acc, names) => acc.flatMap((pre) => names.map((n) => [...pre, n])), [[]]);
}

/**
 * `ROOT`, `**`, `NAME` can name `ROOT/.claude/settings.json`: a `**` before the last
 * component stands for as many components as the shape has before its last.
 */
function globstarTail(comps: readonly string[], n: number): readonly string[] {
  const at = comps.lastIndexOf('**');
  if (at < 0 || at !== comps.length - 2 || n < 2) return comps;
  return [...comps.slice(0, at), ...Array<string>(n - 1).fill('**'), ...comps.slice(at + 1)];
}

/** The path is the shaped file (its last components match), or lies below a shaped directory. */
function shapeAt(comps: readonly string[], s: ShapeTarget, eq: (c: string, names: readonly string[]) => boolean): boolean {
  const n = s.tail.length;
  const lowest = s.dir ? n : Math.max(n, comps.length);
  for (let end = comps.length; end >= lowest; end--) {
    if (s.tail.every((names, k) => eq(comps[end - n + k] as string, names))) return true;
  }
  return false;
}

/**
 * Component-wise glob against a target path. `**` spans any number of components.
 * 'inside' when the pattern can name the target or something below it; 'ancestor'
 * when it can only name a directory above it.
 */
function relate(pattern: readonly string[], target: readonly string[]): 'inside' | 'ancestor' | null {
  let best: 'inside' | 'ancestor' | null = null;
  const seen = new Set<number>();
  const walk = (i: number, j: number): void => {
    if (best === 'inside' || seen.has(i * 4096 + j)) return;
    seen.add(i * 4096 + j);
    if (j === target.length) {
      if (i <= pattern.length) best = 'inside';
      return;
    }
    if (i === pattern.length) {
      best ??= 'ancestor';
      return;
    }
    const pc = pattern[i] as string;
    if (pc === '**') {
      walk(i + 1, j);
      if (!(target[j] as string).startsWith('.')) walk(i, j + 1);
      return;
    }
    if (matchComponent(pc, target[j] as string)) walk(i + 1, j + 1);
  };
  walk(0, 0);
  return best;
}
