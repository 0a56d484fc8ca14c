import { z } from 'zod';
import { DEFAULTS, MAILGUN_REGIONS, PROVIDERS, PUSH_GUARD_DEFAULTS, RATE_LIMIT_DEFAULTS, RULE_ACTIONS, SMTP_SECURITY, TIERS, TIER_DEFAULTS, type TierPolicy } from '../core/config.js';

/**
 * The configuration file, as zod sees it. The defaults come from src/core/config.ts so
 * the core and the schema cannot drift; the JSON Schema in schema/ is generated from this.
 */
const seconds = (min: number, max: number) => z.number().int().min(min).max(max);

function tierShape(d: TierPolicy, name: string) {
  return {
    codeTtlSeconds: seconds(1, 3600).default(d.codeTtlSeconds).describe('How long a code can be entered after it is sent.'),
    maxAttempts: z.number().int().min(1).max(10).default(d.maxAttempts).describe('Wrong guesses allowed per code; the last one revokes it and starts a lockout.'),
    lockoutSeconds: seconds(1, 86400).default(d.lockoutSeconds).describe(`After a revoked code, no ${name}-tier code can be requested or entered for this long.`),
    cooldownSeconds: seconds(0, 3600).default(d.cooldownSeconds).describe('Minimum time between two guesses at the same code.'),
  };
}

function tier(d: TierPolicy, name: string) {
  return z.strictObject(tierShape(d, name)).prefault({}).describe(`Limits for the ${name} tier.`);
}

/** A branch glob as people write them: "main", "release/**"; never a full ref name. */
const branchGlob = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\s\u0000-\u001f\u007f~^:\\]+$/, 'must be a branch name or glob such as "main" or "release/**" (no spaces or ~^:\\)')
  .refine((g) => !g.startsWith('refs/') && !g.startsWith('/'), { message: 'must be a branch name without "refs/heads/", e.g. "main"' });

const pushSchema = z
  .strictObject({
    ...tierShape(TIER_DEFAULTS.push, 'push'),
    protectedBranches: z.array(branchGlob).max(100).default([...PUSH_GUARD_DEFAULTS.protectedBranches])
      .describe('Branches the pre-push hook guards ("*" within a segment, "**" across segments). Create or update: push-tier code; force or delete: delete-tier code.'),
    guardForceAndDeleteOnAllBranches: z.boolean().default(PUSH_GUARD_DEFAULTS.guardForceAndDeleteOnAllBranches)
      .describe('true: a force push or delete of any branch, protected or not, needs a delete-tier code.'),
  })
  .prefault({})
  .describe('Limits for the push tier, and what the pre-push hook guards.');

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name such as RESEND_API_KEY');

const hostName = z.string().min(1).max(253).regex(/^[A-Za-z0-9._:[\]-]+$/, 'must be a host name or IP address such as smtp.example.com');

export const smtpSchema = z
  .strictObject({
    host: hostName.describe('The SMTP server, e.g. "smtp.example.com". Its TLS certificate must be valid for this name.'),
    port: z.number().int().min(1).max(65535).optional().describe('Default 465 for "tls", 587 for "starttls".'),
    security: z.enum(SMTP_SECURITY).default('starttls').describe('"tls": TLS from the first byte (port 465). "starttls": STARTTLS before anything else (port 587). Plaintext is never used.'),
    username: z.string().min(1).max(256).optional().describe('The SMTP login; leave out for a server that needs none.'),
    passwordEnv: envName.optional().describe('Name of the environment variable that holds the SMTP password (default THEGUARD_SMTP_PASSWORD).'),
    passwordFile: z.string().min(1).optional().describe('Absolute path of a file outside the project that holds the SMTP password.'),
  })
  .describe('Provider "smtp": where and how to submit mail.');

export const emailSchema = z
  .strictObject({
    provider: z.enum(PROVIDERS).default(DEFAULTS.provider).describe('"file" writes .eml files to a local outbox: insecure, for evaluation only. "resend", "postmark", "sendgrid", "mailgun": their HTTPS APIs. "smtp": any SMTP server over TLS.'),
    to: z.string().regex(/^[^\s@<>"]+@[^\s@<>"]+$/, 'must be an email address such as you@example.com').optional().describe('Where codes go: the human, on a device the agent cannot read.'),
    from: z.string().min(3).max(200).optional().describe('Sender address, e.g. "theguard <guard@example.com>"; required for real providers, on a domain verified with them.'),
    apiKeyEnv: envName.optional().describe('API providers: name of the environment variable that holds the key (default RESEND_API_KEY, POSTMARK_SERVER_TOKEN, SENDGRID_API_KEY or MAILGUN_API_KEY).'),
    apiKeyFile: z.string().min(1).optional().describe('API providers: absolute path of a file outside the project that holds the key.'),
    endpoint: z.url().optional().describe("API providers: replace the provider's base URL (proxies, tests). https only; http only to 127.0.0.1, ::1 or localhost."),
    domain: hostName.optional().describe('mailgun: the sending domain, e.g. "mg.example.com".'),
    region: z.enum(MAILGUN_REGIONS).optional().describe('mailgun: the region of the domain, "us" (default) or "eu".'),
    smtp: smtpSchema.optional(),
    timeoutSeconds: z.number().int().min(1).max(DEFAULTS.maxDeliveryTimeoutSeconds).default(DEFAULTS.deliveryTimeoutSeconds).describe('The whole delivery, its one retry included, gives up after this long. Hooks wait on it: keep it short.'),
    outbox: z.string().min(1).optional().describe('Directory for the "file" provider; absolute, outside the project.'),
  })
  .prefault({});

export const ruleSchema = z
  .strictObject({
    tool: z.string().min(1).max(200).optional().describe('Tool name or glob, e.g. "mcp__stripe__create_refund" or "mcp__stripe__list_*".'),
    command: z.string().min(1).max(500).optional().describe('Shell command prefix, e.g. "npm publish".'),
    action: z.enum(RULE_ACTIONS).describe('allow: no code; verify: a code first; block: never, no code unlocks it.'),
    tier: z.enum(TIERS).optional().describe('Tier for action "verify" (default "delete").'),
    reason: z.string().max(300).optional().describe('Shown to the agent and the human when the rule applies.'),
  })
  .refine((r) => (r.tool === undefined) !== (r.command === undefined), { message: 'a rule names exactly one of "tool" or "command"' });

export const configSchema = z
  .strictObject({
    $schema: z.string().optional(),
    email: emailSchema,
    emailFallback: z.enum(['none', 'terminal']).default(DEFAULTS.emailFallback).describe('"terminal" shows the code on the controlling terminal when email fails. Insecure; opt-in.'),
    stateDir: z.string().min(1).default(DEFAULTS.stateDir).describe('Where clearances live, relative to the project root.'),
    grantTtlSeconds: seconds(1, 3600).default(DEFAULTS.grantTtlSeconds).describe('How long an approval stays usable (once).'),
    push: pushSchema,
    delete: tier(TIER_DEFAULTS.delete, 'delete'),
    rules: z.array(ruleSchema).max(500).default([]).describe('Per-tool and per-command rules: allow, verify or block.'),
    mcpDefault: z
      .enum(RULE_ACTIONS)
      .default(DEFAULTS.mcpDefault)
      .describe('What an MCP tool call (mcp__server__tool) gets when no rule names it: "verify" (a delete-tier code), "allow", or "block".'),
    rateLimit: z
      .strictObject({
        perSession: z.number().int().min(1).max(100).default(RATE_LIMIT_DEFAULTS.perSession).describe('New codes one agent session may trigger per window.'),
        perProject: z.number().int().min(1).max(1000).default(RATE_LIMIT_DEFAULTS.perProject).describe('New codes the whole project may trigger per window.'),
        windowSeconds: seconds(60, 86400).default(RATE_LIMIT_DEFAULTS.windowSeconds).describe('The sliding window the caps count in.'),
      })
      .prefault({})
      .describe('Caps on new codes, so an agent retrying in a loop cannot flood the inbox. A retry while a code is pending never counts.'),
  })
  .describe('theguard configuration');

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;

export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}
