import { toolSelfProtection } from '../protect/tools.js';
import type { Finding } from '../rules/rule.js';
import { decideBash, selfContext } from './bash.js';
import { type Blocked, block, combine, userFinding } from './combine.js';
import type { DecisionContext } from './context.js';
import type { Decision } from './decision.js';
import { SELF_PROTECTION_ADVICE } from './messages.js';
import { toolRuleHits } from './user-rules.js';

/**
 * Decide any tool call: Bash through the shell analyser, file tools through
 * self-protection, every tool through the config's tool rules, and MCP tools no rule
 * names through `mcpDefault`. Same precedence as for commands (see combine.ts).
 */
export function decideTool(toolName: unknown, toolInput: unknown, ctx: DecisionContext): Decision {
  try {
    return decide(toolName, toolInput, ctx);
  } catch (err) {
    return block('call', 'internal-error', 'theguard.internal-error', `theguard failed while checking it (${(err as Error).message})`);
  }
}

function decide(toolName: unknown, toolInput: unknown, ctx: DecisionContext): Decision {
  if (typeof toolName !== 'string' || toolName === '') return block('call', 'invalid-input', 'input.invalid', 'the call has no tool name');
  if (toolInput !== undefined && (typeof toolInput !== 'object' || toolInput === null || Array.isArray(toolInput))) {
    return block(`call to ${toolName}`, 'invalid-input', 'input.invalid', 'its tool_input is not a JSON object');
  }
  const input = (toolInput ?? {}) as Record<string, unknown>;
  const what = toolName === 'Bash' ? 'command' : `call to ${toolName}`;
  const hits = toolRuleHits(toolName, ctx.rules);
  const findings: Finding[] = hits.filter((h) => h.rule.action === 'verify').map((h) => userFinding(h, operationOf(toolName, input)));
  const blocks: Blocked[] = [];
  if (toolName === 'Bash') {
    const bash = decideBash(input.command, ctx);
    if (bash.action === 'block') return bash;
    if (bash.action === 'verify') findings.push(...bash.findings);
    const decision = combine({ what, blocks, findings, userHits: hits, pushes: bash.pushes });
    return decision.action === 'allow' && bash.action === 'allow' ? { ...decision, ruleIds: [...bash.ruleIds, ...decision.ruleIds] } : decision;
  }
  const self = toolSelfProtection(toolName, input, { ...selfContext(ctx), cwd: ctx.cwd, readFile: ctx.readFile });
  if (self) blocks.push({ kind: 'self-protection', ruleId: self.id, reason: self.why, alternative: SELF_PROTECTION_ADVICE });
  return combine({ what, blocks, findings, userHits: hits, pushes: [], fallback: mcpFallback(toolName, input, ctx) });
}

function mcpFallback(toolName: string, input: Record<string, unknown>, ctx: DecisionContext) {
  if (!toolName.startsWith('mcp__') || ctx.mcpDefault === 'allow') return undefined;
  const finding: Finding = {
    ruleId: 'mcp.default',
    tier: 'delete',
    operation: operationOf(toolName, input),
    reason: ctx.mcpDefault === 'block' ? 'no rule allows this MCP tool, and mcpDefault is "block"' : 'theguard cannot see what an MCP tool does, and no rule in the configuration names this one',
    alternative: `Ask the human to add a rule for ${toolName} to the theguard configuration if it is safe.`,
  };
  return { action: ctx.mcpDefault, finding };
}

/** A short name for the call, e.g. "mcp__stripe__create_refund". */
function operationOf(toolName: string, input: Record<string, unknown>): string {
  return toolName === 'Bash' && typeof input.command === 'string' ? input.command.slice(0, 120) : toolName;
}
