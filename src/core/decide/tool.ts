import { decideBash } from './bash.js';
import { block, combine, userFinding } from './combine.js';
import type { DecisionContext } from './context.js';
import type { Decision } from './decision.js';
import { quickDecision } from './quick.js';
import { toolRuleHits } from './user-rules.js';

/**
 * Decide any tool call: Bash through the shell analyser, file tools through
 * self-protection, every tool through the config's tool rules, and MCP tools no rule
 * names through `mcpDefault`. Same precedence as for commands (see combine.ts).
 */
export function decideTool(toolName: unknown, toolInput: unknown, ctx: DecisionContext): Decision {
  const quick = quickDecision(toolName, toolInput, ctx);
  if (quick) return quick;
  try {
    return bashCall((toolInput ?? {}) as Record<string, unknown>, ctx);
  } catch (err) {
    return block('command', 'internal-error', 'theguard.internal-error', `theguard failed while checking it (${(err as Error).message})`);
  }
}

/** A Bash call the quick path could not settle: the analysis, combined with any `Bash` tool rules. */
function bashCall(input: Record<string, unknown>, ctx: DecisionContext): Decision {
  const bash = decideBash(input.command, ctx);
  if (bash.action === 'block') return bash;
  const hits = toolRuleHits('Bash', ctx.rules);
  const command = String(input.command).slice(0, 120);
  const findings = [...(bash.action === 'verify' ? bash.findings : []), ...hits.filter((h) => h.rule.action === 'verify').map((h) => userFinding(h, command))];
  const decision = combine({ what: 'command', blocks: [], findings, userHits: hits, pushes: bash.pushes });
  return decision.action === 'allow' && bash.action === 'allow' ? { ...decision, ruleIds: [...bash.ruleIds, ...decision.ruleIds] } : decision;
}
