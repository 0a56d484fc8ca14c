import { randomBytes } from 'node:crypto';
import type { ApiProvider } from './api-delivery.js';
import { apiUrl } from './endpoint.js';
import { type ApiFailure, causeOfStatus } from './failure.js';
import { jsonBody, text } from './https.js';

/**
 * Mailgun: POST /v3/{domain}/messages with a multipart/form-data body (the encoding its
 * reference documents), Basic auth with user "api" and the key as password. US domains live at api.mailgun.net, EU ones at api.eu.mailgun.net.
 * Success is 200 with `{ "id", "message": "Queued. Thank you." }`; errors are
 * `{ "message" }` (401 may be plain "Forbidden"). Tracking is off for this message.
 * Docs: https://documentation.mailgun.com/docs/mailgun/api-reference,
 * https://documentation.mailgun.com/docs/mailgun/quickstart-guide/responses
 */
const KEYS_HELP = 'a Domain Sending Key (Mailgun dashboard: Sending, Domain settings, Sending API keys)';

const basic = (key: string): string => `Basic ${Buffer.from(`api:${key}`, 'utf8').toString('base64')}`;
const domainOf = (d: string | undefined): string => encodeURIComponent(d ?? '');

export const mailgun: ApiProvider = {
  name: 'mailgun',
  label: 'Mailgun',
  baseUrl: (email) => (email.region === 'eu' ? 'https://api.eu.mailgun.net' : 'https://api.mailgun.net'),

  request(m, key, base, email) {
    const form = multipart({ from: m.from, to: m.to, subject: m.subject, text: m.text, html: m.html, 'o:tracking': 'no' });
    return {
      method: 'POST',
      url: apiUrl(base, `v3/${domainOf(email.domain)}/messages`),
      headers: { Authorization: basic(key), 'Content-Type': form.type, Accept: 'application/json', 'User-Agent': 'theguard' },
      body: form.body,
    };
  },

  receipt(a) {
    const body = jsonBody(a);
    const id = text(body?.id);
    return id ? { id, response: `HTTP ${a.status} ${text(body?.message) ?? ''}`.trim() } : null;
  },

  failure(a): ApiFailure {
    const message = text(jsonBody(a)?.message) ?? (a.body.trim().length <= 80 ? a.body.trim() : '');
    const detail = message || undefined;
    if (a.status === 401) return { cause: 'key', detail, fix: `check the key and email.region (a key works only in its own region); use ${KEYS_HELP}` };
    if (a.status === 403 && /authorized recipient|sandbox|not allowed to send/i.test(message)) {
      return { cause: 'recipient', detail, fix: 'add email.to to the authorized recipients of the sandbox domain, or send from a domain you verified' };
    }
    if (a.status === 404) return { cause: 'sender', detail, fix: 'check email.domain, and email.region ("eu" for domains in the EU region)' };
    if (a.status === 400 && /'from'|from parameter|sender/i.test(message)) return { cause: 'sender', detail, fix: 'set email.from to an address on email.domain' };
    return { cause: causeOfStatus(a.status), detail };
  },

  scopeProbe(key, base, email) {
    return {
      // Events lead to stored messages; a Domain Sending Key may only POST messages.
      call: { method: 'GET', url: apiUrl(base, `v3/${domainOf(email.domain)}/events`, { limit: '1' }), headers: { Authorization: basic(key), Accept: 'application/json', 'User-Agent': 'theguard' } },
      judge(a) {
        if (a.status === 200) {
          return { status: 'warn', title: "the Mailgun key can read the domain's events and stored messages, codes included",
            fix: `use ${KEYS_HELP} instead: it can only send` };
        }
        if (a.status === 401 || a.status === 403) {
          return { status: 'ok', title: 'the Mailgun key cannot read events or stored messages (a Domain Sending Key, or a wrong key: `theguard email test` shows which)' };
        }
        if (a.status === 404) return { status: 'fail', title: `Mailgun does not know the domain ${email.domain ?? ''} in the ${email.region ?? 'us'} region (HTTP 404)`, fix: 'check email.domain and email.region' };
        return { status: 'warn', title: `could not tell what the Mailgun key may do (HTTP ${a.status})`, fix: `make sure it is ${KEYS_HELP}` };
      },
    };
  },
};

/**
 * Text fields as multipart/form-data (RFC 7578). The boundary is random and checked
 * against every value, so no value (the message is agent-influenced) can end its part early.
 */
export function multipart(fields: Readonly<Record<string, string>>): { type: string; body: string } {
  const values = Object.values(fields);
  let boundary: string;
  do boundary = `theguard-${randomBytes(16).toString('hex')}`;
  while (values.some((v) => v.includes(boundary)));
  const parts = Object.entries(fields).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  return { type: `multipart/form-data; boundary=${boundary}`, body: `${parts.join('')}--${boundary}--\r\n` };
}
