import type { Analysis, Invocation } from '../shell/invocation.js';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { wordPath } from '../shell/paths.js';
import type { Word } from '../shell/syntax.js';
import { hasWildcard, matchComponent, wildcard } from '../shell/glob.js';
import { HOLE, escapeGlob, literal, unescapeGlob } from '../shell/words.js';
import { envOverride } from './env-override.js';
import { gitHookBypass } from './git-hooks.js';
import { gitWorktreeHit } from './git-worktree.js';
import { type Mode, pathUses, takesNoPaths } from './path-uses.js';
import { touchesGuarded } from './changes.js';
import { type Hit, type ProtectedPaths, type SelfId, classifyPath, classifyPattern, shapesBelow } from './targets.js';
import { realPatterns } from './real-patterns.js';
import { theguardCli } from './theguard-cli.js';
import { insideOrEqual, strictlyInside } from '../lib/inside.js';
import { isNonDirectory, lexists, lisDirectory, realPathOrParent } from '../lib/probe.js';

/**
 * Self-protection for shell commands: every analysed invocation is checked for access
 * to theguard's files, hook bypasses, the human-only CLI commands and environment
 * overrides. A hit is a block: no code unlocks it.
 */
export interface SelfHit {
  readonly id: SelfId;
  readonly why: string;
  /** What to do instead, when there is something better than asking the human. */
  readonly hint?: string | undefined;
}

export interface SelfContext {
  readonly paths: ProtectedPaths;
  readonly home: string;
  readonly cliPaths: readonly string[];
  /** package.json files the configuration search reads (see decide/self-context.ts). */
  readonly configPackageJsons?: readonly string[];
}

export function bashSelfProtection(analysis: Analysis, command: string, ctx: SelfContext): SelfHit | null {
  const mentionsGuard = /theguard/i.test(command);
  for (const inv of analysis.invocations) {
    const hit = invocationHit(inv, ctx, mentionsGuard);
    if (hit) return hit;
  }
  return null;
}

function invocationHit(inv: Invocation, ctx: SelfContext, mentionsGuard: boolean): SelfHit | null {
  const env = envOverride(inv);
  if (env) return { id: 'self.env-override', why: env };
  const cli = theguardCli(inv, ctx.cliPaths, ctx.home);
  if (cli) return { id: 'self.theguard-cli', why: cli };
  const git = gitHookBypass(inv, ctx.home);
  if (git) return git;
  const special = specialCommands(inv);
  if (special) return special;
  if (inv.remote) return null;
  const tree = gitWorktreeHit(inv, ctx);
  if (tree) return tree;
  const here = workingInside(inv, ctx);
  if (here) return here;
  for (const use of pathUses(inv)) {
    const hit = pathHit(use.word, use.mode, inv, ctx, mentionsGuard);
    if (hit) return hit;
  }
  return null;
}

/** Run from inside the state dir (or the pepper dir), `ls` or `cat *` reads it without naming it. */
function workingInside(inv: Invocation, ctx: SelfContext): SelfHit | null {
  if (inv.cwd === null || inv.name === 'cd' || inv.name === '' || inv.name === null || inv.pseudo || takesNoPaths(inv.name)) return null;
  const hit = classifyPath(ctx.paths, inv.cwd).find((h) => h.relation === 'inside' && h.guard === 'any');
  return hit ? { id: hit.id, why: `it runs inside ${hit.what} (${inv.cwd})` } : null;
}

/** Commands that change guarded settings without naming a guarded file. */
function specialCommands(inv: Invocation): SelfHit | null {
  const words = inv.argv.map((w) => literal(w));
  if (inv.name === 'npm' && words[1] === 'pkg' && ['set', 'delete'].includes(words[2] ?? '') && words.slice(3).some((w) => w === null || /^theguard\b/i.test(w))) {
    return { id: 'self.config', why: '`npm pkg` would change the "theguard" key of package.json' };
  }
  if (inv.name === 'claude' && words.includes('config') && words.some((w) => w !== null && /hooks|disableallhooks/i.test(w))) {
    return { id: 'self.claude-hooks', why: "it changes Claude Code's hook settings" };
  }
  return null;
}

function pathHit(word: Word, mode: Mode, inv: Invocation, ctx: SelfContext, mentionsGuard: boolean): SelfHit | null {
  for (const h of hitsFor(word, mode, inv, ctx)) {
    if (blocks(h, mode, ctx, mentionsGuard)) return { id: h.id, why: describe(h, mode), ...(h.special === 'package-json' ? { hint: PACKAGE_JSON_HINT } : {}) };
  }
  return ancestorHit(word, mode, inv, ctx);
}

const PACKAGE_JSON_HINT = 'To change other keys of package.json, use the Edit tool, which theguard can check key by key.';

/** Commands that write into a directory they are given (`cp -r x .claude` replaces `.claude/settings.json`). */
const WRITES_INTO = new Set(['cp', 'rsync', 'install', 'ln', 'scp', 'tar', 'unzip']);

/**
 * Moving or deleting a directory takes what is in it: `mv .claude .claude-old` removes
 * Claude Code's hook settings as surely as `rm .claude/settings.json`. Guarded files
 * that exist below the named directory count, and so does a guarded directory inside the
 * project (the state dir, the launcher's dir). The project root itself is left to the
 * delete tier (`rm -rf` of it is gated there), as before.
 */
function ancestorHit(word: Word, mode: Mode, inv: Invocation, ctx: SelfContext): SelfHit | null {
  if (mode !== 'delete' && !(mode === 'write' && WRITES_INTO.has(inv.name ?? ''))) return null;
  const ref = wordPath(word, inv.cwd, inv.vars, ctx.home);
  if (ref.kind !== 'path' || ref.path === ctx.paths.projectRoot || ref.path === '/') return null;
  const dir = canonical(ref.path);
  const verb = mode === 'delete' ? 'move or delete' : 'write over';
  for (const h of classifyPath(ctx.paths, dir)) {
    if (h.relation === 'ancestor' && h.target && strictlyInside(h.target, ctx.paths.projectRoot) && strictlyInside(dir, ctx.paths.projectRoot)) {
      return { id: h.id, why: `it would ${verb} ${ref.path}, which holds ${h.what} (${h.target})` };
    }
  }
  for (const h of shapesBelow(ctx.paths, dir, lexists, listDir)) {
    if (h.special && !touchesGuarded(h.special, h.path, readText(h.path), '')) continue;
    return { id: h.id, why: `it would ${verb} ${ref.path}, which holds ${h.what} (${h.path})` };
  }
  return null;
}

function listDir(dir: string): ReadonlySet<string> {
  try {
    return new Set(readdirSync(dir));
  } catch {
    return new Set();
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Targets a path word reaches. A resolved path, and a glob pattern, are also checked
 * through symlinks (`/proc/self/root/...`, a link into the state dir or above it). A word only known at run time is
 * read as a pattern, its unknown parts as wildcards: `~/.config/$(...)/pepper` still
 * reaches the pepper, while a bare `"$F"` reaches nothing in particular.
 */
function hitsFor(word: Word, mode: Mode, inv: Invocation, ctx: SelfContext): Hit[] {
  const ref = wordPath(word, inv.cwd, inv.vars, ctx.home);
  if (ref.kind === 'path') {
    const real = canonical(ref.path);
    return [...classifyPath(ctx.paths, ref.path), ...(real !== ref.path ? classifyPath(ctx.paths, real) : [])];
  }
  if (ref.kind === 'patterns') {
    // `*/` names directories only: a file it expands to on disk is not named.
    const dirsOnly = word.raw.endsWith('/');
    return ref.patterns
      .flatMap((p) => [p, ...realPatterns(p, mode !== 'delete')])
      .flatMap((p) => classifyPattern(ctx.paths, p).filter((h) => (h.target !== undefined || shapeMayExist(p, ctx)) && !(dirsOnly && !hasWildcard(h.path) && isNonDirectory(h.path))));
  }
  const flat = word.raw.toLowerCase().replace(/['"\\]/g, '');
  const hinted = ctx.paths.hints.filter((h) => h.text !== '' && flat.includes(h.text)).map((h): Hit => ({ ...h.target, relation: 'inside', path: word.raw }));
  const pattern = holesAsWildcards(word, inv, ctx);
  return pattern === null ? hinted : [...hinted, ...classifyPattern(ctx.paths, pattern)];
}

/**
 * A glob that could name a shaped file (`rm -f src/gen/*.js` and a
 * `src/gen/theguard.config.js`) names it only if it exists: the shell expands a glob
 * against the disk, and a pattern that matches nothing stays a literal name, which is no
 * guarded file. Checked with one listing where the pattern's directory is literal;
 * anything else is kept as a hit.
 */
function shapeMayExist(pattern: string, ctx: SelfContext): boolean {
  const dir = dirname(pattern);
  const last = basename(pattern);
  // find's `ROOT/**/NAME`: any depth below ROOT, dot directories included.
  const deep = basename(dir) === '**';
  const top = deep ? dirname(dir) : dir;
  if (top.split('/').some((c) => hasWildcard(c))) return true;
  const budget = { entries: 4096 };
  const found = (d: string, depth: number): boolean | null => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return code === 'ENOENT' || code === 'ENOTDIR' ? false : null;
    }
    if ((budget.entries -= names.length) < 0) return null;
    for (const n of names) {
      const named = deep ? wildcard(last, n) : matchComponent(last, n);
      if (named && classifyPath(ctx.paths, join(d, n)).some((h) => h.target === undefined)) return true;
      if (deep && depth < 32 && lisDirectory(join(d, n))) {
        const below = found(join(d, n), depth + 1);
        if (below !== false) return true;
      }
    }
    return false;
  };
  // Unreadable, or past the budget: it may be there.
  return found(canonical(unescapeGlob(top)), 0) !== false;
}

/** The word as a glob with its unknown parts as `*`; null when nothing literal is left to aim with. */
function holesAsWildcards(word: Word, inv: Invocation, ctx: SelfContext): string | null {
  let text = '';
  for (const p of word.parts) {
    const v = p.t === 'lit' ? p.s : p.t === 'param' ? inv.vars(p.name) : undefined;
    text += v === undefined ? HOLE : escapeGlob(v);
  }
  // A leading unknown could put the path anywhere: only the name hints above apply then.
  if (text.startsWith(HOLE)) return null;
  if (text.startsWith('~/')) text = escapeGlob(ctx.home) + text.slice(1);
  else if (!text.startsWith('/')) text = `${escapeGlob(inv.cwd ?? '/')}/${text}`;
  const pattern = text.split(HOLE).join('*').replace(/\*{3,}/g, '**');
  return pattern.split('/').some((c) => c !== '' && !/^[*?]+$/.test(c)) ? pattern : null;
}

/** The path with symlinks resolved, as far as it exists. */
function canonical(path: string): string {
  return realPathOrParent(path) ?? path;
}

function blocks(h: Hit, mode: Mode, ctx: SelfContext, mentionsGuard: boolean): boolean {
  if (h.relation === 'inside') {
    if (h.guard === 'any') return true;
    if (mode === 'read' || mode === 'recursive-read') return false;
    // Most commands that write package.json (npm install) have nothing to do with theguard;
    // but once it holds theguard's configuration, removing or replacing the file
    // (`rm package.json`, `mv tmp.json package.json`) takes that out without naming it.
    if (h.special !== 'package-json') return true;
    return mentionsGuard || (mode === 'delete' && holdsGuardKey(h.path)) || (ctx.configPackageJsons ?? []).includes(h.path);
  }
  // Above a target outside the project (the pepper, the outbox): reading the whole tree
  // reads the target; deleting a directory that exists for such files (~/.config,
  // ~/.local/state) deletes it. Deleting the project, the home dir or / is the delete
  // tier's business (rm -rf is gated there), not self-protection's.
  if (h.guard !== 'any' || !h.target || insideOrEqual(h.target, ctx.paths.projectRoot)) return false;
  if (mode === 'recursive-read') return true;
  return mode === 'delete' && strictlyInside(h.path, ctx.home);
}

function holdsGuardKey(path: string): boolean {
  const text = readText(path);
  return text !== null && touchesGuarded('package-json', path, text, '{}');
}

function describe(h: Hit, mode: Mode): string {
  const verb = mode === 'read' || mode === 'recursive-read' ? (h.relation === 'ancestor' ? 'read everything under a directory holding' : 'read') : mode === 'delete' ? 'delete' : 'change';
  return `it would ${verb} ${h.what} (${h.path})`;
}
