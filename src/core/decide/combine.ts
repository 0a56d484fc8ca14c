import type { Tier } from '../config.js';
import type { PushFinding } from '../rules/git-push.js';
import type { Finding } from '../rules/rule.js';
import { type BlockDecision, type BlockKind, type Decision, TIER_ORDER } from './decision.js';
import { blockMessage, verifyMessage } from './messages.js';
import type { UserRuleHit } from './user-rules.js';

/**
 * Precedence, strongest first (docs/decisions/0009-rule-precedence-and-mcp-default.md):
 * 1. self-protection: block, always;
 * 2. input theguard cannot analyse that could be dangerous: block;
 * 3. a user `block` rule: block;
 * 4. built-in findings (delete-tier catalogue, push gating) and user `verify` rules:
 *    verify, at the strictest tier among them;
 * 5. a user `allow` rule: allow. It cannot undo 1 to 4: an allow only answers what the
 *    built-ins leave open (for MCP tools, it overrides `mcpDefault`);
 * 6. otherwise the default: allow, or `mcpDefault` for an MCP tool no rule names.
 */
export interface Collected {
  /** "command" or "call to mcp__x__y", for messages. */
  readonly what: string;
  readonly blocks: readonly Blocked[];
  /** Built-in findings and user verify rules, already turned into findings. */
  readonly findings: readonly Finding[];
  readonly userHits: readonly UserRuleHit[];
  readonly pushes: readonly PushFinding[];
  /** Applied only when no rule matched at all (the MCP default). */
  readonly fallback?: { readonly action: 'verify' | 'block'; readonly finding: Finding } | undefined;
}

export interface Blocked {
  readonly kind: BlockKind;
  readonly ruleId: string;
  readonly reason: string;
  readonly alternative?: string | undefined;
}

export function combine(c: Collected): Decision {
  const first = c.blocks[0];
  if (first) return block(c.what, first.kind, first.ruleId, first.reason, first.alternative);
  const userBlock = c.userHits.find((h) => h.rule.action === 'block');
  if (userBlock) return block(c.what, 'rule', userBlock.id, userBlock.rule.reason ?? 'a configured rule forbids it');
  const findings = [...c.findings];
  if (c.userHits.length === 0 && findings.length === 0 && c.fallback) {
    if (c.fallback.action === 'block') return block(c.what, 'rule', c.fallback.finding.ruleId, c.fallback.finding.reason);
    findings.push(c.fallback.finding);
  }
  if (findings.length === 0) return { action: 'allow', ruleIds: c.userHits.filter((h) => h.rule.action === 'allow').map((h) => h.id), pushes: c.pushes };
  const tier = findings.reduce<Tier>((t, f) => (TIER_ORDER[f.tier] > TIER_ORDER[t] ? f.tier : t), 'push');
  const lead = findings.find((f) => f.tier === tier) as Finding;
  const ruleIds = [...new Set(findings.map((f) => f.ruleId))];
  return {
    action: 'verify',
    tier,
    ruleIds,
    reasons: findings.map((f) => `${f.operation}: ${f.reason}`),
    findings,
    summary: lead.operation,
    message: verifyMessage(lead.operation, lead.reason, ruleIds),
    pushes: c.pushes,
  };
}

/** A user `verify` rule as a finding about the operation it matched. */
export function userFinding(h: UserRuleHit, operation: string): Finding {
  const target = h.rule.command ? `\`${h.rule.command}\`` : (h.rule.tool ?? operation);
  return { ruleId: h.id, tier: h.rule.tier ?? 'delete', operation, reason: h.rule.reason ?? `a configured rule asks for approval of ${target}` };
}

export function block(what: string, kind: BlockKind, ruleId: string, reason: string, alternative?: string): BlockDecision {
  return { action: 'block', kind, ruleIds: [ruleId], reason, alternative, message: blockMessage(what, reason, [ruleId], alternative) };
}
