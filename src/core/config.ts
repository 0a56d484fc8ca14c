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

/** What the pre-push hook guards; lives under `push` next to the push tier's limits. */
export interface PushGuardPolicy {
  /** Branch globs ("*" within a segment, "**" across segments); a create or update of one needs a push-tier code, a force or delete a delete-tier code. */
  readonly protectedBranches: readonly string[];
  /** When true, a force push or delete of any branch, protected or not, needs a delete-tier code. */
  readonly guardForceAndDeleteOnAllBranches: boolean;
}

export type PushPolicy = TierPolicy & PushGuardPolicy;

export const PUSH_GUARD_DEFAULTS: PushGuardPolicy = {
  protectedBranches: ['main', 'master', 'release/**'],
  guardForceAndDeleteOnAllBranches: false,
};

export const PROVIDERS = ['file', 'resend', 'postmark', 'sendgrid', 'mailgun', 'smtp'] as const;
export type ProviderName = (typeof PROVIDERS)[number];
/** The providers reached over their HTTPS API with a key. */
export type ApiProviderName = Exclude<ProviderName, 'file' | 'smtp'>;

/** Where each API provider's key is looked for when the config names no variable and no file. */
export const DEFAULT_KEY_ENV: Readonly<Record<ApiProviderName, string>> = {
  resend: 'RESEND_API_KEY',
  postmark: 'POSTMARK_SERVER_TOKEN',
  sendgrid: 'SENDGRID_API_KEY',
  mailgun: 'MAILGUN_API_KEY',
};
export const DEFAULT_SMTP_PASSWORD_ENV = 'THEGUARD_SMTP_PASSWORD';

export const MAILGUN_REGIONS = ['us', 'eu'] as const;
export type MailgunRegion = (typeof MAILGUN_REGIONS)[number];

export const SMTP_SECURITY = ['tls', 'starttls'] as const;
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];

export interface SmtpConfig {
  readonly host: string;
  readonly port: number;
  /** "tls": TLS from the first byte (port 465). "starttls": plain connect, then STARTTLS before anything else (port 587). */
  readonly security: SmtpSecurity;
  /** No username: no AUTH (a relay that accepts mail without it). */
  readonly username?: string | undefined;
  readonly passwordEnv?: string | undefined;
  /** Absolute, outside the project. */
  readonly passwordFile?: string | undefined;
}

export interface EmailConfig {
  readonly provider: ProviderName;
  readonly to: string;
  readonly from: string;
  /** Where the `file` provider writes .eml files (absolute). */
  readonly outbox: string;
  /** API providers: the variable holding the key (read at send time), unless apiKeyFile is set. */
  readonly apiKeyEnv?: string | undefined;
  /** API providers: absolute path of a file outside the project holding the key. */
  readonly apiKeyFile?: string | undefined;
  /** API providers: the base URL instead of the provider's own (https, or http on loopback only). */
  readonly endpoint?: string | undefined;
  /** mailgun: the sending domain. */
  readonly domain?: string | undefined;
  /** mailgun: which of its regions holds the domain. */
  readonly region?: MailgunRegion | undefined;
  readonly smtp?: SmtpConfig | undefined;
  /** The whole delivery, retries included, must finish within this; hooks wait on it. */
  readonly timeoutSeconds: number;
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
  readonly push: PushPolicy;
  readonly delete: TierPolicy;
  readonly rules: readonly Rule[];
  /**
   * What an MCP tool call (`mcp__server__tool`) gets when no rule names it. "verify"
   * (the default) at the delete tier: theguard cannot see what an unknown remote tool
   * does, so it asks. See docs/decisions/0009-rule-precedence-and-mcp-default.md.
   */
  readonly mcpDefault: RuleAction;
  /** Caps on new codes, so an agent retrying in a loop cannot flood the inbox. */
  readonly rateLimit: RateLimitPolicy;
}

export interface RateLimitPolicy {
  /** New codes one agent session may trigger per window. */
  readonly perSession: number;
  /** New codes the whole project may trigger per window (every session and command). */
  readonly perProject: number;
  readonly windowSeconds: number;
}

export const RATE_LIMIT_DEFAULTS: RateLimitPolicy = { perSession: 10, perProject: 30, windowSeconds: 600 };

export const DEFAULTS = {
  stateDir: '.theguard',
  grantTtlSeconds: 120,
  emailFallback: 'none',
  provider: 'file',
  from: 'theguard <theguard@localhost>',
  deliveryTimeoutSeconds: 10,
  maxDeliveryTimeoutSeconds: 30,
  mcpDefault: 'verify',
} as const;
