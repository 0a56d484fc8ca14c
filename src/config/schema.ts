import { z } from 'zod';
import { DEFAULTS, PROVIDERS, RULE_ACTIONS, TIERS, TIER_DEFAULTS, type TierPolicy } from '../core/config.js';

/**
 * The configuration file, as zod sees it. The defaults come from src/core/config.ts so
 * the core and the schema cannot drift; the JSON Schema in schema/ is generated from this.
 */
const seconds = (min: number, max: number) => z.number().int().min(min).max(max);

function tier(d: TierPolicy, name: string) {
  return z
    .strictObject({
      codeTtlSeconds: seconds(1, 3600).default(d.codeTtlSeconds).describe('How long a code can be entered after it is sent.'),
      maxAttempts: z.number().int().min(1).max(10).default(d.maxAttempts).describe('Wrong guesses allowed per code; the last one revokes it and starts a lockout.'),
      lockoutSeconds: seconds(1, 86400).default(d.lockoutSeconds).describe(`After a revoked code, no ${name}-tier code can be requested or entered for this long.`),
      cooldownSeconds: seconds(0, 3600).default(d.cooldownSeconds).describe('Minimum time between two guesses at the same code.'),
    })
    .prefault({})
    .describe(`Limits for the ${name} tier.`);
}

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name such as RESEND_API_KEY');

export const emailSchema = z
  .strictObject({
    provider: z.enum(PROVIDERS).default(DEFAULTS.provider).describe('"file" writes .eml files to a local outbox: insecure, for evaluation only.'),
    to: z.string().regex(/^[^\s@<>"]+@[^\s@<>"]+$/, 'must be an email address such as you@example.com').optional().describe('Where codes go: the human, on a device the agent cannot read.'),
    from: z.string().min(3).max(200).optional().describe('Sender address, e.g. "theguard <guard@example.com>".'),
    apiKeyEnv: envName.optional().describe('Name of the environment variable that holds the provider API key.'),
    apiKeyFile: z.string().min(1).optional().describe('Absolute path of a file outside the project that holds the provider API key.'),
    endpoint: z.url().optional().describe("Override the provider's base URL (proxies, tests)."),
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
    push: tier(TIER_DEFAULTS.push, 'push'),
    delete: tier(TIER_DEFAULTS.delete, 'delete'),
    rules: z.array(ruleSchema).max(500).default([]).describe('Per-tool and per-command rules: allow, verify or block.'),
    mcpDefault: z
      .enum(RULE_ACTIONS)
      .default(DEFAULTS.mcpDefault)
      .describe('What an MCP tool call (mcp__server__tool) gets when no rule names it: "verify" (a delete-tier code), "allow", or "block".'),
  })
  .describe('theguard configuration');

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;

export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}
