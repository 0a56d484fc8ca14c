import { randomBytes } from 'node:crypto';
import type { ApiProvider, ScopeProbe } from './api-delivery.js';
import { apiUrl } from './endpoint.js';
import { type ApiFailure, causeOfStatus } from './failure.js';
import { jsonBody, text } from './https.js';

/**
 * Mailgun: POST /v3/{domain}/messages with a multipart/form-data body (the encoding its
 * reference documents), Basic auth with user "api" and the key as password.
 * US domains live at api.mailgun.net, EU ones at api.eu.mailgun.net.
 * Success is 200 with `{ "id", "message": "Queued. Thank you." }`; errors are
 * `{ "message" }`. Mailgun documents 400 (a message saying what to fix), 403 ("Auth error
 * or access denied": the key), 404 (not found: here, the domain), 429 and 500. A wrong key
 * also meets 401 (plain "Forbidden"), which its current table leaves out. Tracking is off.
 * Docs: https://documentation.mailgun.com/docs/mailgun/api-reference,
 * https://documentation.mailgun.com/docs/mailgun/quickstart-guide/responses
 */
const KEYS_HELP = 'a Domain Sending Key (Mailgun dashboard: Sending, Domain settings, Sending API keys)';
const KEY_FIX = `check the key, and email.region (a key works only in its own region); a Domain Sending Key works only for its own domain (email.domain). Use ${KEYS_HELP}`;

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
    // A sandbox domain refuses recipients it has not authorized (seen as 400 or 403; not in Mailgun's table).
    if ((a.status === 400 || a.status === 403) && /authorized recipients/i.test(message)) {
      return { cause: 'recipient', detail, fix: 'add email.to to the authorized recipients of the sandbox domain, or send from a domain you verified' };
    }
    if (a.status === 401 || a.status === 403) return { cause: 'key', detail, fix: KEY_FIX };
    if (a.status === 404) return { cause: 'sender', detail, fix: 'check email.domain, and email.region ("eu" for domains in the EU region)' };
    if (a.status === 400 && /'from'|from parameter|sender/i.test(message)) return { cause: 'sender', detail, fix: 'set email.from to an address on email.domain' };
    return { cause: causeOfStatus(a.status), detail };
  },

  scopeProbe(key, base, email): ScopeProbe {
    const domain = email.domain ?? '';
    const headers = { Authorization: basic(key), Accept: 'application/json', 'User-Agent': 'theguard' };
    const unknownDomain = { status: 'fail' as const, title: `Mailgun does not know the domain ${domain} in the ${email.region ?? 'us'} region (HTTP 404)`, fix: 'check email.domain and email.region' };
    // A Domain Sending Key is refused on events as a wrong key is. A form that names no sender,
    // recipient or body (and asks for test mode) can never be sent, and tells them apart:
    // Mailgun checks the key before the form (400 means it took the key).
    const nothing = multipart({ 'o:testmode': 'yes' });
    const canSend: ScopeProbe = {
      call: { method: 'POST', url: apiUrl(base, `v3/${domainOf(domain)}/messages`), headers: { ...headers, 'Content-Type': nothing.type }, body: nothing.body },
      judge(a) {
        if (a.status === 400) return { status: 'ok', title: 'the Mailgun key may send but not read events or stored messages: a Domain Sending Key' };
        if (a.status === 401 || a.status === 403) return { status: 'fail', title: `Mailgun refused the API key (HTTP ${a.status})`, fix: KEY_FIX };
        if (a.status === 404) return unknownDomain;
        return { status: 'warn', title: `could not tell what the Mailgun key may do (HTTP ${a.status})`, fix: `make sure it is ${KEYS_HELP}` };
      },
    };
    return {
      // Events lead to stored messages; a Domain Sending Key may only send.
      call: { method: 'GET', url: apiUrl(base, `v3/${domainOf(domain)}/events`, { limit: '1' }), headers },
      judge(a) {
        if (a.status === 200) {
          return { status: 'warn', title: "the Mailgun key can read the domain's events and stored messages, codes included",
            fix: `use ${KEYS_HELP} instead: it can only send` };
        }
        if (a.status === 401 || a.status === 403) return canSend;
        if (a.status === 404) return unknownDomain;
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
