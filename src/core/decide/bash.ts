import { lstatSync, readdirSync, realpathSync } from 'node:fs';
import { insideOrEqual } from '../lib/inside.js';
import { bashSelfProtection } from '../protect/bash.js';
import { CATALOGUE } from '../rules/catalogue.js';
import { evaluate } from '../rules/evaluate.js';
import { gitCall } from '../rules/git.js';
import { type LocalRefs, type PushFinding, pushFinding, pushTier } from '../rules/git-push.js';
import { LineRefs } from '../rules/git-head-moves.js';
import type { CatalogueRule, Finding, MatchEnv } from '../rules/rule.js';
import { analyse } from '../shell/analyse.js';
import type { Analysis, Invocation } from '../shell/invocation.js';
import { Unanalysable } from '../shell/unanalysable.js';
import { literal } from '../shell/words.js';
import { type Blocked, block, combine, userFinding } from './combine.js';
import type { DecisionContext } from './context.js';
import type { Decision } from './decision.js';
import { guardedWords, holdsCodeWord, holdsShellWord, needsAnalysis } from './guarded-words.js';
import { SELF_PROTECTION_ADVICE, UNANALYSABLE_ADVICE, shown } from './messages.js';
import { mayRunGitAlias } from './may-run-git-alias.js';
import { insideGuardedDir, packageScriptsNeedAnalysis } from './quick.js';
import { runsScriptByPath } from './runs-by-path.js';
import { selfContext } from './self-context.js';
import { submodulePush } from './submodule-push.js';
import { type UserRuleHit, commandRuleHits } from './user-rules.js';

/**
 * Decide a Bash tool call. A cheap scan lets plain commands through without parsing;
 * everything else is analysed into the commands it would run, which are checked for
 * self-protection, then against the user's rules, the delete-tier catalogue and push
 * gating. Any failure inside is a block, never an allow.
 */
export function decideBash(command: unknown, ctx: DecisionContext): Decision {
  try {
    return decide(command, ctx);
  } catch (err) {
    return block('command', 'internal-error', 'theguard.internal-error', `theguard failed while checking it (${(err as Error).message})`);
  }
}

const NOTHING: Decision = { action: 'allow', ruleIds: [], pushes: [] };

/**
 * The same decision without the fast path: every command is parsed and analysed. For
 * tests that check the fast path never lets through what the analysis would stop.
 */
export function analyseBash(command: string, ctx: DecisionContext): Decision {
  return decide(command, ctx, false);
}

function decide(command: unknown, ctx: DecisionContext, fast = true): Decision {
  if (typeof command !== 'string') return block('command', 'invalid-input', 'input.invalid', 'the Bash call has no command string');
  const words = guardedWords(ctx);
  if (fast && !needsAnalysis(command, words) && !insideGuardedDir(ctx) && !packageScriptsNeedAnalysis(command, ctx, words) && !runsScriptByPath(command, ctx.cwd)) return NOTHING;
  let analysis: Analysis;
  try {
    analysis = analyse(command, { cwd: ctx.cwd, home: ctx.home, env: ctx.env, readFile: ctx.readFile });
  } catch (err) {
    if (!(err instanceof Unanalysable)) throw err;
    // A git alias can run anything without a guarded word in sight (`git p`, with a config built to exceed a bound).
    const guarded = holdsShellWord(command, words);
    if (!guarded && !mayRunGitAlias(command)) return NOTHING;
    const what = guarded ? 'it mentions a command or file theguard guards' : 'it runs a git command that may be an alias';
    return block('command', 'unanalysable', 'shell.unanalysable', `theguard cannot analyse it (${err.why}), and ${what}`, UNANALYSABLE_ADVICE);
  }
  const blocks = blocksOf(analysis, command, ctx);
  const findings: Finding[] = [];
  const userHits: UserRuleHit[] = [];
  const pushes: PushFinding[] = [];
  const env = matchEnv(ctx);
  const changer = analysis.invocations.find((inv) => !inv.pseudo && changesCheckout(inv, ctx.home));
  const refs = new LineRefs(ctx.home);
  for (const inv of analysis.invocations) {
    if (inv.pseudo || inv.name === null || inv.name === '') continue;
    if (inv.name === 'git' && gitCall(inv, ctx.home)?.sub === null) {
      blocks.push({ kind: 'unanalysable', ruleId: 'shell.opaque', reason: 'the git subcommand is only known when it runs', alternative: UNANALYSABLE_ADVICE });
    }
    for (const h of commandRuleHits(inv, ctx.rules)) {
      userHits.push(h);
      if (h.rule.action === 'verify') findings.push(userFinding(h, shown(inv.raw)));
    }
    findings.push(...catalogueFindings(inv, env));
    const push = pushFinding(inv, ctx.home);
    if (push) {
      pushes.push(push);
      const gate = pushGate(push, ctx, refs.wroteGitDir(inv, push.dir) ? LOST : refs, changer !== undefined, submodulePush(inv, push, ctx));
      if (gate) findings.push(gate);
    }
    refs.note(inv);
  }
  return combine({ what: 'command', blocks, findings, userHits, pushes });
}

function blocksOf(analysis: Analysis, command: string, ctx: DecisionContext): Blocked[] {
  const blocks: Blocked[] = [];
  const self = bashSelfProtection(analysis, command, selfContext(ctx));
  if (self) blocks.push({ kind: 'self-protection', ruleId: self.id, reason: self.why, alternative: self.hint ? `${self.hint} ${SELF_PROTECTION_ADVICE}` : SELF_PROTECTION_ADVICE });
  for (const o of analysis.opaque) blocks.push({ kind: 'unanalysable', ruleId: 'shell.opaque', reason: o.why, alternative: UNANALYSABLE_ADVICE });
  const words = guardedWords(ctx);
  for (const code of analysis.inline) {
    if (!holdsCodeWord(code.text, words)) continue;
    blocks.push({
      kind: 'unanalysable',
      ruleId: 'shell.inline-code',
      reason: `it runs ${code.interpreter} code that theguard cannot analyse, and the code mentions a command or file theguard guards`,
      alternative: 'Run the shell commands directly instead of from inside another language, so theguard can check them.',
    });
  }
  return blocks;
}

let index: Map<string, CatalogueRule[]> | undefined;

/** Rules by command name, built on first use so loading the module costs nothing. */
function rulesFor(name: string): readonly CatalogueRule[] {
  if (!index) {
    index = new Map();
    for (const rule of CATALOGUE) {
      for (const c of rule.commands) index.set(c, [...(index.get(c) ?? []), rule]);
    }
  }
  return index.get(name) ?? [];
}

/** `kubectl delete --help` only prints help. */
const HELP = new Set(['--help', '-help']);

function catalogueFindings(inv: Invocation, env: MatchEnv): Finding[] {
  const out: Finding[] = [];
  if (inv.argv.some((w) => HELP.has(literal(w) ?? ''))) return out;
  for (const rule of rulesFor(inv.name ?? '')) {
    const r = evaluate(rule.match, inv, env);
    if (r === null || r === false) continue;
    const reason = typeof r === 'string' ? `it ${rule.description}: ${r}` : `it ${rule.description}`;
    out.push({ ruleId: rule.id, tier: rule.tier, operation: shown(inv.raw), reason, alternative: rule.alternative });
  }
  return out;
}

/**
 * A push is left to the pre-push hook where it is installed for the repository the
 * push runs in; it sees the exact refs and commits, and one push must need one code.
 * Elsewhere (or when the repository is not known), and for a push that also pushes
 * inside submodules, theguard gates it here.
 */
function pushGate(push: PushFinding, ctx: DecisionContext, refs: LocalRefs, checkoutChanges: boolean, submodules: string | null): Finding | null {
  if (push.noVerify || (submodules === null && deferred(push, ctx, checkoutChanges))) return null;
  const own = pushTier(push, ctx.protectedBranches, refs);
  // Pushes inside submodules go to branches theguard cannot name: gated like one (see submodule-push.ts).
  const sub = submodules === null ? null : { tier: push.force || push.forceWithLease ? ('delete' as const) : ('push' as const), why: submodules };
  const gate = own?.tier === 'delete' || !sub ? own : sub;
  if (!gate) return null;
  return {
    ruleId: gate.tier === 'delete' ? 'git.push.destructive' : 'git.push.protected',
    tier: gate.tier,
    operation: shown(push.raw),
    reason: gate.why,
    alternative: 'Push a feature branch and open a pull request instead.',
  };
}

/**
 * Commands that rewrite the checkout wholesale. Whether the pre-push hook runs is read
 * off the files as they are now; with husky or lefthook it depends on files in the
 * checkout (`.husky/pre-push`, `lefthook.yml`), which `git checkout OLD && git push
 * origin HEAD:main` takes away between the decision and the push. So where the hook
 * lives in the checkout, a push in a line (or a script it runs) with one of these is
 * gated here, whatever runs first: at worst that push needs two codes. Writing those
 * files by name is refused by self-protection.
 */
const CHECKOUT_GIT = new Set(['checkout', 'switch', 'reset', 'restore', 'stash', 'rebase', 'merge', 'pull', 'am', 'apply', 'cherry-pick', 'revert', 'clean', 'read-tree', 'checkout-index', 'sparse-checkout', 'bisect', 'worktree', 'submodule']);
const CHECKOUT_TOOLS = new Set(['patch', 'tar', 'bsdtar', 'unzip', 'cpio', 'rsync', 'pax', '7z', '7za']);

function changesCheckout(inv: Invocation, home: string): boolean {
  if (inv.name === 'git') {
    const sub = gitCall(inv, home)?.sub;
    return sub === null || sub === undefined || CHECKOUT_GIT.has(sub);
  }
  return CHECKOUT_TOOLS.has(inv.name ?? '');
}

/** Refs after an earlier command of the line wrote into the git dir: nothing is known. */
const LOST: LocalRefs = { heads: () => [null], branch: () => null };

function deferred(push: PushFinding, ctx: DecisionContext, checkoutChanges: boolean): boolean {
  if (push.dir === null || push.elsewhere) return false;
  if (typeof ctx.prePushHook === 'function') return ctx.prePushHook(push.dir, checkoutChanges);
  return ctx.prePushHook && !checkoutChanges && insideOrEqual(push.dir, ctx.projectRoot);
}

export function matchEnv(ctx: DecisionContext): MatchEnv {
  return { projectRoot: ctx.projectRoot, home: ctx.home, protectedBranches: ctx.protectedBranches, tempDirs: ctx.tempDirs, readFile: ctx.readFile, kindOf, realPath, readDir };
}

/** A symlink counts as a file: rm removes the link, not what it points to. */
function kindOf(path: string): 'dir' | 'file' | 'missing' {
  try {
    return lstatSync(path).isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}

/** The OS's realpath: Node's own realpathSync resolves `..` before symlinks (`link/..` would be wrong). */
function realPath(path: string): string | null {
  try {
    return realpathSync.native(path);
  } catch {
    return null;
  }
}

function readDir(path: string): string[] | null {
  try {
    return readdirSync(path);
  } catch {
    return null;
  }
}
