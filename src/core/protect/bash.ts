import type { Analysis, Invocation } from '../shell/invocation.js';
import { wordPath } from '../shell/paths.js';
import { approximate, literal } from '../shell/words.js';
import { envOverride } from './env-override.js';
import { gitHookBypass } from './git-hooks.js';
import { type Mode, pathUses } from './path-uses.js';
import { type Hit, type ProtectedPaths, type SelfId, classifyPath, classifyPattern } from './targets.js';
import { theguardCli } from './theguard-cli.js';
import { insideOrEqual, strictlyInside } from '../lib/inside.js';

/**
 * Self-protection for shell commands: every analysed invocation is checked for access
 * to theguard's files, hook bypasses, the human-only CLI commands and environment
 * overrides. A hit is a block: no code unlocks it.
 */
export interface SelfHit {
  readonly id: SelfId;
  readonly why: string;
}

export interface SelfContext {
  readonly paths: ProtectedPaths;
  readonly home: string;
  readonly cliPaths: readonly string[];
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
  for (const use of pathUses(inv)) {
    const hit = pathHit(use.word, use.mode, inv, ctx, mentionsGuard);
    if (hit) return hit;
  }
  return null;
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

function pathHit(word: Invocation['argv'][number], mode: Mode, inv: Invocation, ctx: SelfContext, mentionsGuard: boolean): SelfHit | null {
  const ref = wordPath(word, inv.cwd, inv.vars, ctx.home);
  let hits: Hit[];
  if (ref.kind === 'path') hits = classifyPath(ctx.paths, ref.path);
  else if (ref.kind === 'patterns') hits = ref.patterns.flatMap((p) => classifyPattern(ctx.paths, p));
  else {
    const text = approximate(word, inv.vars).toLowerCase();
    hits = ctx.paths.hints.filter((h) => h.text !== '' && text.includes(h.text)).map((h) => ({ ...h.target, relation: 'inside' as const, path: word.raw }));
  }
  for (const h of hits) {
    if (blocks(h, mode, ctx, mentionsGuard)) return { id: h.id, why: describe(h, mode) };
  }
  return null;
}

function blocks(h: Hit, mode: Mode, ctx: SelfContext, mentionsGuard: boolean): boolean {
  if (h.relation === 'inside') {
    if (h.guard === 'any') return true;
    if (mode === 'read' || mode === 'recursive-read') return false;
    // Most commands that write package.json (npm install) have nothing to do with theguard.
    return h.special === 'package-json' ? mentionsGuard : true;
  }
  // Above a target outside the project (the pepper, the outbox): reading the whole tree
  // reads the target; deleting a directory that exists for such files (~/.config,
  // ~/.local/state) deletes it. Deleting the project, the home dir or / is the delete
  // tier's business (rm -rf is gated there), not self-protection's.
  if (h.guard !== 'any' || !h.target || insideOrEqual(h.target, ctx.paths.projectRoot)) return false;
  if (mode === 'recursive-read') return true;
  return mode === 'delete' && strictlyInside(h.path, ctx.home);
}

function describe(h: Hit, mode: Mode): string {
  const verb = mode === 'read' || mode === 'recursive-read' ? (h.relation === 'ancestor' ? 'read everything under a directory holding' : 'read') : mode === 'delete' ? 'delete' : 'change';
  return `it would ${verb} ${h.what} (${h.path})`;
}
