import type { ApiProvider } from './api-delivery.js';
import { parseMailbox } from './address.js';
import { apiUrl } from './endpoint.js';
import { type ApiFailure, causeOfStatus } from './failure.js';
import { jsonBody, text } from './https.js';

/**
 * SendGrid: POST /v3/mail/send, `Authorization: Bearer <key>`, JSON with personalizations,
 * from, subject and content (text/plain first, then text/html). Success is 202 with an
 * empty body and the id in X-Message-Id; errors are `{ "errors": [{ "message", "field" }] }`.
 * Click and open tracking are off: no rewritten links, no pixel.
 * Docs: https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send,
 * https://www.twilio.com/docs/sendgrid/api-reference/api-key-permissions
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
    if (a.status === 401) return { cause: 'key', detail, fix: `check the key; create a restricted key with Mail Send access at ${KEYS_PAGE}` };
    if (a.status === 403 && /sender identity|from address/i.test(message)) {
      return { cause: 'sender', detail, fix: 'verify email.from as a Single Sender or authenticate its domain in SendGrid (Settings, Sender Authentication)' };
    }
    if (a.status === 403) return { cause: 'permission', detail, fix: `give the key the Mail Send permission, or create a restricted key with Mail Send at ${KEYS_PAGE}` };
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
