import { userInfo } from 'node:os';
import { isAbsolute } from 'node:path';
import { type ApiProviderName, DEFAULTS, DEFAULT_KEY_ENV, DEFAULT_SMTP_PASSWORD_ENV, type EmailConfig, type ProviderName, type SmtpConfig } from '../core/config.js';
import { parseMailbox } from '../core/delivery/address.js';
import { endpointProblem } from '../core/delivery/endpoint.js';
import { defaultOutboxDir, isInside } from '../core/lib/paths.js';
import type { ParsedConfig } from './schema.js';

/**
 * The `email` section, resolved: what each provider needs is present, what it does not
 * use is refused (a key set for the wrong provider usually means a forgotten
 * `provider`, and so codes silently going to the insecure outbox), secret files are
 * outside the project, endpoints are https. Every problem names the key and the fix.
 */
export interface ResolveContext {
  readonly root: string;
  readonly realRoot: string;
  readonly env: NodeJS.ProcessEnv;
  /** `~` expansion. */
  expand(p: string): string;
  /** realpath of the longest existing prefix. */
  real(p: string): string;
}

type Parsed = ParsedConfig['email'];

const API_PROVIDERS: readonly ProviderName[] = ['resend', 'postmark', 'sendgrid', 'mailgun'];
/** Keys that only some providers use. */
const USED_BY: Record<string, readonly ProviderName[]> = {
  apiKeyEnv: API_PROVIDERS,
  apiKeyFile: API_PROVIDERS,
  endpoint: API_PROVIDERS,
  domain: ['mailgun'],
  region: ['mailgun'],
  smtp: ['smtp'],
  outbox: ['file'],
};

export function resolveEmail(e: Parsed, ctx: ResolveContext): { email: EmailConfig; problems: string[] } {
  const problems: string[] = [];
  const provider = e.provider;
  for (const [key, users] of Object.entries(USED_BY)) {
    if (e[key as keyof Parsed] !== undefined && !users.includes(provider)) {
      problems.push(`email.${key} is set, but email.provider is "${provider}"${provider === DEFAULTS.provider ? ' (the default)' : ''}, which does not use it. Fix: set email.provider to ${users.map((u) => `"${u}"`).join(' or ')}, or remove email.${key}.`);
    }
  }

  const outbox = e.outbox ? ctx.expand(e.outbox) : defaultOutboxDir(ctx.env);
  if (!isAbsolute(outbox)) problems.push(`email.outbox must be an absolute path (it is ${JSON.stringify(e.outbox)}). Fix: use a directory outside the project, e.g. ~/.local/state/theguard/outbox.`);
  else if (isInside(ctx.real(outbox), ctx.realRoot)) problems.push(`email.outbox is inside the project (${outbox}), where the agent works. Fix: use a directory outside ${ctx.root}.`);

  let to = e.to;
  if (!to) {
    if (provider === 'file') to = `${userInfo().username}@localhost`;
    else problems.push(`email.to is required for provider "${provider}". Fix: set email.to to your own address.`);
  }
  if (provider !== 'file' && !e.from) problems.push(`email.from is required for provider "${provider}". Fix: set email.from to an address on a domain your provider has verified, e.g. "theguard <guard@example.com>".`);
  if (e.from && !parseMailbox(e.from)) problems.push(`email.from is not a mail address (it is ${JSON.stringify(e.from)}). Fix: use "guard@example.com" or "theguard <guard@example.com>".`);

  if (e.apiKeyEnv && e.apiKeyFile) problems.push('email.apiKeyEnv and email.apiKeyFile are both set. Fix: keep one; theguard reads the key from exactly one place.');
  const apiKeyFile = e.apiKeyFile ? secretFile('email.apiKeyFile', e.apiKeyFile, ctx, problems) : undefined;
  const apiKeyEnv = e.apiKeyEnv ?? (!e.apiKeyFile && isApiProvider(provider) ? DEFAULT_KEY_ENV[provider] : undefined);

  if (e.endpoint) {
    const why = endpointProblem(e.endpoint);
    // The value is shown without any user:password in it: the error is printed and may be logged.
    if (why) problems.push(`email.endpoint ${why} (it is ${JSON.stringify(e.endpoint.replace(/\/\/[^/@]*@/, '//***@'))}). Fix: use the provider's https:// base URL, or remove it.`);
  }
  if (provider === 'mailgun' && !e.domain) problems.push('email.domain is required for provider "mailgun". Fix: set it to your Mailgun sending domain, e.g. "mg.example.com".');
  if (provider === 'smtp' && !e.smtp) problems.push('email.smtp is required for provider "smtp". Fix: add "smtp": { "host": "smtp.example.com", "username": "..." } (the password goes in an environment variable or a file).');

  const smtp = e.smtp && provider === 'smtp' ? resolveSmtp(e.smtp, ctx, problems) : undefined;
  return {
    email: {
      provider,
      to: to ?? '',
      from: e.from ?? DEFAULTS.from,
      outbox,
      apiKeyEnv,
      apiKeyFile,
      endpoint: e.endpoint,
      domain: e.domain,
      region: provider === 'mailgun' ? (e.region ?? 'us') : undefined,
      smtp,
      timeoutSeconds: e.timeoutSeconds,
    },
    problems,
  };
}

function resolveSmtp(s: NonNullable<Parsed['smtp']>, ctx: ResolveContext, problems: string[]): SmtpConfig {
  if (s.passwordEnv && s.passwordFile) problems.push('email.smtp.passwordEnv and email.smtp.passwordFile are both set. Fix: keep one.');
  if (!s.username && (s.passwordEnv || s.passwordFile)) problems.push(`email.smtp.${s.passwordEnv ? 'passwordEnv' : 'passwordFile'} is set but email.smtp.username is not. Fix: set the username, or remove the password setting for a server that needs no login.`);
  const passwordFile = s.passwordFile ? secretFile('email.smtp.passwordFile', s.passwordFile, ctx, problems) : undefined;
  return {
    host: s.host,
    port: s.port ?? (s.security === 'tls' ? 465 : 587),
    security: s.security,
    username: s.username,
    passwordEnv: s.username ? (s.passwordEnv ?? (passwordFile ? undefined : DEFAULT_SMTP_PASSWORD_ENV)) : undefined,
    passwordFile,
  };
}

/** A file that holds a secret: absolute, and outside the project where the agent works. */
function secretFile(key: string, value: string, ctx: ResolveContext, problems: string[]): string {
  const file = ctx.expand(value);
  if (!isAbsolute(file)) problems.push(`${key} must be an absolute path (it is ${JSON.stringify(value)}). Fix: give the full path of a file outside the project.`);
  else if (isInside(ctx.real(file), ctx.realRoot)) problems.push(`${key} is inside the project (${file}), where the agent can read it. Fix: move the ${key.endsWith('passwordFile') ? 'password' : 'key'} file outside ${ctx.root}, e.g. to ~/.config/theguard/.`);
  return file;
}

function isApiProvider(p: ProviderName): p is ApiProviderName {
  return API_PROVIDERS.includes(p);
}
