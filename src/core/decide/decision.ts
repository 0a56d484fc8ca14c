import type { Tier } from '../config.js';
import type { PushFinding } from '../rules/git-push.js';
import type { Finding } from '../rules/rule.js';

/**
 * What theguard decides about one tool call. The hook turns `verify` into a clearance
 * request and a deny that tells the agent how to get approval, `block` into a plain
 * deny, and `allow` into silence (Claude Code's own permissions then decide).
 */
export type Decision = AllowDecision | VerifyDecision | BlockDecision;

export interface AllowDecision {
  readonly action: 'allow';
  /** User `allow` rules that matched (e.g. "rules[2]"); empty when nothing applied. */
  readonly ruleIds: readonly string[];
  /** Pushes in the command, reported even when left to the pre-push hook. */
  readonly pushes: readonly PushFinding[];
}

export interface VerifyDecision {
  readonly action: 'verify';
  /** The strictest tier among the findings. */
  readonly tier: Tier;
  readonly ruleIds: readonly string[];
  /** One line per finding, e.g. "terraform destroy: destroys every resource in the Terraform state". */
  readonly reasons: readonly string[];
  readonly findings: readonly Finding[];
  /** A short name of the operation for the email subject and the deny reason. */
  readonly summary: string;
  /**
   * The base sentence for the agent: "This `terraform destroy` needs human approval: …".
   * The hook appends where the code went and what to tell the human.
   */
  readonly message: string;
  readonly pushes: readonly PushFinding[];
}

export type BlockKind = 'self-protection' | 'unanalysable' | 'rule' | 'invalid-input' | 'internal-error';

export interface BlockDecision {
  readonly action: 'block';
  readonly kind: BlockKind;
  readonly ruleIds: readonly string[];
  /** Why, in a phrase: "it would read theguard's state directory (/p/.theguard/x)". */
  readonly reason: string;
  readonly alternative?: string | undefined;
  /** The whole deny reason for the agent, rule id included. */
  readonly message: string;
}

export const TIER_ORDER: Readonly<Record<Tier, number>> = { push: 1, delete: 2 };
