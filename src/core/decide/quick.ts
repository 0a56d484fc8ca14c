import { insideOrEqual } from '../lib/inside.js';
import { toolSelfProtection } from '../protect/tools.js';
import type { Finding } from '../rules/rule.js';
import { type Blocked, block, combine, userFinding } from './combine.js';
import type { DecisionContext } from './context.js';
import type { Decision } from './decision.js';
import { guardedWords, needsAnalysis } from './guarded-words.js';
import { SELF_PROTECTION_ADVICE } from './messages.js';
import { selfContext } from './self-context.js';
import { toolRuleHits } from './user-rules.js';
import { nearestPackage, scriptsToCheck } from '../shell/package-scripts.js';
import { runsScriptByPath } from './runs-by-path.js';

/**
 * The light half of the engine: everything except the shell analyser. It decides every
 * non-Bash tool call completely, and a Bash call whose command holds no guarded word;
 * for anything else it returns null, and the caller loads the full engine
 * (decideTool in tool.ts). The hook imports this module eagerly and the full engine
 * lazily, so the common case never loads the parser.
 */
export function quickDecision(toolName: unknown, toolInput: unknown, ctx: DecisionContext): Decision | null {
  try {
    return quick(toolName, toolInput, ctx);
  } catch (err) {
    return block('call', 'internal-error', 'theguard.internal-error', `theguard failed while checking it (${(err as Error).message})`);
  }
}

const NOTHING: Decision = { action: 'allow', ruleIds: [], pushes: [] };

function quick(toolName: unknown, toolInput: unknown, ctx: DecisionContext): Decision | null {
  if (typeof toolName !== 'string' || toolName === '') return block('call', 'invalid-input', 'input.invalid', 'the call has no tool name');
  if (toolInput !== undefined && (typeof toolInput !== 'object' || toolInput === null || Array.isArray(toolInput))) {
    return block(`call to ${toolName}`, 'invalid-input', 'input.invalid', 'its tool_input is not a JSON object');
  }
  const input = (toolInput ?? {}) as Record<string, unknown>;
  const hits = toolRuleHits(toolName, ctx.rules);
  if (toolName === 'Bash') {
    if (typeof input.command !== 'string') return block('command', 'invalid-input', 'input.invalid', 'the Bash call has no command string');
    const words = guardedWords(ctx);
    if (hits.length > 0 || needsAnalysis(input.command, words) || insideGuardedDir(ctx) || packageScriptsNeedAnalysis(input.command, ctx, words) || runsScriptByPath(input.command, ctx.cwd)) return null;
    return NOTHING;
  }
  const what = `call to ${toolName}`;
  const findings: Finding[] = hits.filter((h) => h.rule.action === 'verify').map((h) => userFinding(h, toolName));
  const blocks: Blocked[] = [];
  const self = toolSelfProtection(toolName, input, { ...selfContext(ctx), cwd: ctx.cwd, readFile: ctx.readFile });
  if (self) blocks.push({ kind: 'self-protection', ruleId: self.id, reason: self.why, alternative: SELF_PROTECTION_ADVICE });
  return combine({ what, blocks, findings, userHits: hits, pushes: [], fallback: mcpFallback(toolName, ctx) });
}

/**
 * `npm test` names nothing guarded, but runs what package.json says, which an agent can
 * write. When some script there holds a guarded word, the full analyser reads the one
 * the command runs; otherwise none of them can do anything theguard watches.
 */
export function packageScriptsNeedAnalysis(command: string, ctx: DecisionContext, words: ReturnType<typeof guardedWords>): boolean {
  if (!/(^|[^a-z0-9_.-])(npm|pnpm|yarn|bun)([^a-z0-9_.-]|$)/i.test(command)) return false;
  const pkg = nearestPackage(ctx.cwd, ctx.readFile);
  return pkg !== null && scriptsToCheck(command, pkg).some((t) => needsAnalysis(t, words));
}

/**
 * In a guarded directory, `cat x.json` names nothing guarded yet reads it; above the
 * pepper or outbox (in the home dir), `grep -r x` or `find | xargs cat` reads them
 * without naming them. Always analyse there.
 */
export function insideGuardedDir(ctx: DecisionContext): boolean {
  if ([ctx.stateDir, ...ctx.userConfigDirs, ...ctx.outboxDirs].some((d) => insideOrEqual(ctx.cwd, d))) return true;
  return [...ctx.userConfigDirs, ...ctx.outboxDirs].some((d) => insideOrEqual(d, ctx.cwd) && !insideOrEqual(d, ctx.projectRoot));
}

function mcpFallback(toolName: string, ctx: DecisionContext) {
  if (!toolName.startsWith('mcp__') || ctx.mcpDefault === 'allow') return undefined;
  const finding: Finding = {
    ruleId: 'mcp.default',
    tier: 'delete',
    operation: toolName,
    reason: ctx.mcpDefault === 'block' ? 'no rule allows this MCP tool, and mcpDefault is "block"' : 'theguard cannot see what an MCP tool does, and no rule in the configuration names this one',
    alternative: `Ask the human to add a rule for ${toolName} to the theguard configuration if it is safe.`,
  };
  return { action: ctx.mcpDefault, finding };
}

export { decisionContext, type DecisionContext } from './context.js';
export type { Decision } from './decision.js';
export { COSMETIC_FIELDS, toolCallParams, toolOperation } from './tool-operation.js';
