/**
 * The shape of a resolved configuration, as the core uses it. Validation lives in
 * src/config (zod); the core only needs the types and the defaults, so the hooks can
 * stay free of dependencies. The zod schema is checked against these types at build time.
 */
export const TIERS = ['push', 'delete'] as const;
export type Tier = (typeof TIERS)[number];

export interface TierPolicy {
  /** How long a code can be entered, from the moment it is sent. */
  readonly codeTtlSeconds: number;
  /** Wrong guesses per code; the last one revokes the code and starts a lockout. */
  readonly maxAttempts: number;
  /** After a revocation, no code for this tier can be requested or entered for this long. */
  readonly lockoutSeconds: number;
  /** Minimum time between two guesses at the same code (0 = none). */
  readonly cooldownSeconds: number;
}

export const TIER_DEFAULTS: Readonly<Record<Tier, TierPolicy>> = {
  push: { codeTtlSeconds: 300, maxAttempts: 5, lockoutSeconds: 60, cooldownSeconds: 0 },
  delete: { codeTtlSeconds: 300, maxAttempts: 3, lockoutSeconds: 900, cooldownSeconds: 10 },
};

export const PROVIDERS = ['file'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export interface EmailConfig {
  readonly provider: ProviderName;
  readonly to: string;
  readonly from: string;
  /** Where the `file` provider writes .eml files (absolute). */
  readonly outbox: string;
  readonly apiKeyEnv?: string | undefined;
  readonly apiKeyFile?: string | undefined;
  readonly endpoint?: string | undefined;
}

export const RULE_ACTIONS = ['allow', 'verify', 'block'] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

export interface Rule {
  readonly tool?: string | undefined;
  readonly command?: string | undefined;
  readonly action: RuleAction;
  readonly tier?: Tier | undefined;
  readonly reason?: string | undefined;
}

export interface GuardConfig {
  readonly email: EmailConfig;
  readonly emailFallback: 'none' | 'terminal';
  /** Absolute path of the state dir. */
  readonly stateDir: string;
  readonly grantTtlSeconds: number;
  readonly push: TierPolicy;
  readonly delete: TierPolicy;
  readonly rules: readonly Rule[];
  /**
   * What an MCP tool call (`mcp__server__tool`) gets when no rule names it. "verify"
   * (the default) at the delete tier: theguard cannot see what an unknown remote tool
   * does, so it asks. See docs/decisions/0007-rule-precedence-and-mcp-default.md.
   */
  readonly mcpDefault: RuleAction;
}

export const DEFAULTS = {
  stateDir: '.theguard',
  grantTtlSeconds: 120,
  emailFallback: 'none',
  provider: 'file',
  from: 'theguard <theguard@localhost>',
  mcpDefault: 'verify',
} as const;
