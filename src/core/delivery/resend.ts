import { randomUUID } from 'node:crypto';
import type { ApiProvider } from './api-delivery.js';
import { apiUrl } from './endpoint.js';
import { type ApiFailure, causeOfStatus } from './failure.js';
import { jsonBody, text } from './https.js';

/**
 * Resend: POST /emails with a JSON body, `Authorization: Bearer <key>`. Resend rejects
 * requests without a User-Agent (403, error 1010). Success is 200 with `{ "id" }`;
 * errors are `{ "statusCode", "name", "message" }`. An Idempotency-Key makes the one
 * retry safe: Resend sends a message once per key.
 * Docs: https://resend.com/docs/api-reference/emails/send-email,
 * https://resend.com/docs/api-reference/errors
 */
const KEYS_PAGE = 'https://resend.com/api-keys';

export const resend: ApiProvider = {
  name: 'resend',
  label: 'Resend',
  baseUrl: () => 'https://api.resend.com',

  request(m, key, base) {
    return {
      method: 'POST',
      url: apiUrl(base, 'emails'),
      headers: { Authorization: `Bearer ${key}`, 'User-Agent': 'theguard', 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({ from: m.from, to: [m.to], subject: m.subject, text: m.text, html: m.html }),
    };
  },

  receipt(a) {
    const id = text(jsonBody(a)?.id);
    return id ? { id, response: `HTTP ${a.status}` } : null;
  },

  failure(a): ApiFailure {
    const body = jsonBody(a);
    const name = text(body?.name) ?? '';
    const message = text(body?.message) ?? '';
    const detail = [name, message].filter(Boolean).join(': ') || undefined;
    if (['missing_api_key', 'invalid_api_key', 'restricted_api_key'].includes(name) || a.status === 401) {
      return { cause: 'key', detail, fix: `check that key; or create a new one with "Sending access" at ${KEYS_PAGE} and put it there` };
    }
    if (name === 'invalid_from_address' || /domain is not verified|verify a domain|testing emails/i.test(message)) {
      return { cause: 'sender', detail, fix: 'verify your domain at https://resend.com/domains and set email.from to an address on it (onboarding@resend.dev can only send to your own account address)' };
    }
    if (name === 'daily_quota_exceeded') return { cause: 'rate', detail, fix: "wait until Resend's daily quota resets (24 hours), or raise it with a plan upgrade" };
    return { cause: causeOfStatus(a.status), detail };
  },

  scopeProbe(key, base) {
    return {
      // A key with "Sending access" gets restricted_api_key on every endpoint but sending.
      call: { method: 'GET', url: apiUrl(base, 'domains'), headers: { Authorization: `Bearer ${key}`, 'User-Agent': 'theguard', Accept: 'application/json' } },
      judge(a) {
        const name = text(jsonBody(a)?.name);
        if (a.status === 200) {
          return { status: 'warn', title: 'the Resend key has full access: whoever holds it can read sent emails back, codes included (GET /emails/{id})',
            fix: `create a Resend key with sending_access ("Sending access", limited to your sending domain) at ${KEYS_PAGE}, and use it instead` };
        }
        if (name === 'restricted_api_key') return { status: 'ok', title: 'the Resend key has sending access only: it cannot read sent emails back' };
        if (name === 'invalid_api_key' || name === 'missing_api_key' || a.status === 401 || a.status === 403) {
          return { status: 'fail', title: 'Resend refused the API key', detail: `HTTP ${a.status}${name ? ` ${name}` : ''}`, fix: `check the key, or create a new one with sending_access at ${KEYS_PAGE}` };
        }
        return { status: 'warn', title: `could not tell what the Resend key may do (HTTP ${a.status})`, fix: `make sure it is a key with sending_access (${KEYS_PAGE})` };
      },
    };
  },
};
