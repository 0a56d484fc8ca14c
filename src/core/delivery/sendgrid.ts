import type { ApiProvider } from './api-delivery.js';
import { parseMailbox } from './address.js';
import { apiUrl } from './endpoint.js';
import { type ApiFailure, causeOfStatus } from './failure.js';
import { jsonBody, text } from './https.js';
import { epochResetMs } from './retry.js';

/**
 * SendGrid: POST /v3/mail/send, `Authorization: Bearer <key>`, JSON with personalizations,
 * from, subject and content (text/plain first, then text/html). Success is 202 with an
 * empty body and the id in X-Message-Id; errors are `{ "errors": [{ "message", "field" }] }`.
 * A 429 says when to retry in X-RateLimit-Reset (Unix epoch seconds), not Retry-After.
 * Click and open tracking are off: no rewritten links, no pixel.
 * Docs: https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send,
 * https://www.twilio.com/docs/sendgrid/api-reference/how-to-use-the-sendgrid-v3-api/errors,
 * .../how-to-use-the-sendgrid-v3-api/rate-limits,
 * https://www.twilio.com/docs/sendgrid/api-reference/api-key-permissions,
 * Twilio errors 60222 (403, from address not a verified Sender Identity) and 60604
 * (401, "Authenticated user is not authorized to send mail").
 */
const KEYS_PAGE = 'https://app.sendgrid.com/settings/api_keys';
/** Scopes SendGrid adds to every key by itself; they grant no access to data. */
const AUTOMATIC_SCOPE = /^(2fa_|sender_verification_)/;

export const sendgrid: ApiProvider = {
  name: 'sendgrid',
  label: 'SendGrid',
  baseUrl: () => 'https://api.sendgrid.com',

  request(m, key, base) {
    const from = parseMailbox(m.from) ?? { address: m.from };
    return {
      method: 'POST',
      url: apiUrl(base, 'v3/mail/send'),
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', Accept: 'application/json', 'User-Agent': 'theguard' },
      body: JSON.stringify({
        personalizations: [{ to: [{ email: parseMailbox(m.to)?.address ?? m.to }] }],
        from: { email: from.address, ...(from.name ? { name: from.name } : {}) },
        subject: m.subject,
        content: [{ type: 'text/plain', value: m.text }, { type: 'text/html', value: m.html }],
        tracking_settings: { click_tracking: { enable: false }, open_tracking: { enable: false } },
      }),
    };
  },

  retryWait: (a, now) => {
    const ms = epochResetMs(a.headers['x-ratelimit-reset'], now);
    return ms === undefined ? undefined : { ms, header: 'X-RateLimit-Reset' };
  },

  receipt(a) {
    if (a.status !== 202) return null;
    const id = a.headers['x-message-id'];
    return { id: typeof id === 'string' && id ? id : undefined, response: 'HTTP 202 Accepted' };
  },

  failure(a): ApiFailure {
    const errors = jsonBody(a)?.errors;
    const first = Array.isArray(errors) ? (errors[0] as Record<string, unknown> | undefined) : undefined;
    const message = text(first?.message) ?? '';
    const field = text(first?.field);
    const detail = [message, field && field !== 'null' ? `(field ${field})` : ''].filter(Boolean).join(' ') || undefined;
    if (a.status === 401) {
      // SendGrid answers 401 for three documented reasons; its message tells which.
      if (/not authorized to send mail/i.test(message)) return { cause: 'permission', detail, fix: `give the key the Mail Send permission, or create a restricted key with Mail Send at ${KEYS_PAGE}` };
      if (/maximum credits exceeded/i.test(message)) return { cause: 'quota', detail, fix: "the plan's email credits are used up: wait for them to reset (daily on the free plan, monthly on most others) or upgrade the plan in SendGrid" };
      return { cause: 'key', detail, fix: `check the key; create a restricted key with Mail Send access at ${KEYS_PAGE}` };
    }
    if (a.status === 403 && /sender identity|from address/i.test(message)) {
      return { cause: 'sender', detail, fix: 'verify email.from as a Single Sender or authenticate its domain in SendGrid (Settings, Sender Authentication)' };
    }
    if (a.status === 403) {
      return { cause: 'forbidden', detail, fix: `SendGrid documents this 403 as a temporary block after too many bad requests: wait a few minutes, then retry the operation; if it persists, check that the key has Mail Send (${KEYS_PAGE})` };
    }
    return { cause: causeOfStatus(a.status), detail };
  },

  scopeProbe(key, base) {
    return {
      // GET /v3/scopes lists the permissions of the key that asks.
      call: { method: 'GET', url: apiUrl(base, 'v3/scopes'), headers: { Authorization: `Bearer ${key}`, Accept: 'application/json', 'User-Agent': 'theguard' } },
      judge(a) {
        const scopes = jsonBody(a)?.scopes;
        if (a.status === 200 && Array.isArray(scopes)) {
          const extra = scopes.filter((s): s is string => typeof s === 'string' && s !== 'mail.send' && !AUTOMATIC_SCOPE.test(s));
          if (!scopes.includes('mail.send')) return { status: 'fail', title: 'the SendGrid key lacks the mail.send permission: it cannot send codes', fix: `create a restricted key with Mail Send at ${KEYS_PAGE}` };
          if (extra.length === 0) return { status: 'ok', title: 'the SendGrid key is restricted to mail.send' };
          return { status: 'warn', title: `the SendGrid key has ${extra.length} permission(s) beyond mail.send: whoever holds it can do more than send codes`,
            detail: `for example ${extra.slice(0, 5).join(', ')}`, fix: `create a restricted key with Mail Send only at ${KEYS_PAGE}, and use it instead` };
        }
        if (a.status === 401) return { status: 'fail', title: 'SendGrid refused the API key (HTTP 401)', fix: `check the key, or create a restricted key with Mail Send at ${KEYS_PAGE}` };
        return { status: 'warn', title: `could not list the SendGrid key's permissions (HTTP ${a.status})`, fix: `make sure it is a restricted key with Mail Send only (${KEYS_PAGE})` };
      },
    };
  },
};
