import type { ApiProvider } from './api-delivery.js';
import { apiUrl } from './endpoint.js';
import { type ApiFailure, causeOfStatus } from './failure.js';
import { jsonBody, text } from './https.js';

/**
 * Postmark: POST /email with a JSON body and the `X-Postmark-Server-Token` header
 * (Accept and Content-Type must be application/json). Success is 200 with
 * `{ "MessageID", "ErrorCode": 0 }`; refusals are 401, or 422 with `{ "ErrorCode", "Message" }`.
 * A 403 is not Postmark's API at all: its network security layer answers with an HTML
 * page and no ErrorCode. Open tracking is off: no pixel in a message that holds a code.
 * Docs: https://postmarkapp.com/developer/api/email-api,
 * https://postmarkapp.com/developer/api/overview#error-codes,
 * https://postmarkapp.com/support/article/getting-a-403-that-doesnt-look-like-a-postmark-error
 */
/** The ErrorCodes Postmark's API overview lists that a send can meet, and what each needs. */
const BY_CODE: Record<number, ApiFailure> = {
  10: { cause: 'key', fix: "use the Server API token (the server's API Tokens tab), not the account token" },
  400: { cause: 'sender', fix: 'email.from has no Sender Signature: add and confirm one for it, or verify its domain, in Postmark (Sender Signatures)' },
  401: { cause: 'sender', fix: 'the Sender Signature for email.from is not confirmed yet: confirm it from the email Postmark sent to that address (Postmark: Sender Signatures)' },
  405: { cause: 'quota', fix: 'Postmark says "not allowed to send": the account ran out of credits. Buy credits, turn on auto-renewal, or move to a monthly plan in Postmark\'s billing settings' },
  406: { cause: 'recipient', fix: "Postmark stopped sending to email.to after a bounce or spam complaint: reactivate the address in the server's Suppressions" },
  412: { cause: 'account', fix: 'the Postmark account is pending approval: until Postmark approves it, it only delivers to addresses on your own verified domains. Request approval in Postmark, or set email.to to an address on a domain you verified there' },
  413: { cause: 'account', fix: 'Postmark says this account may not send: check the account in Postmark (a paused or suspended account), or contact Postmark support' },
};

export const postmark: ApiProvider = {
  name: 'postmark',
  label: 'Postmark',
  baseUrl: () => 'https://api.postmarkapp.com',

  request(m, key, base) {
    return {
      method: 'POST',
      url: apiUrl(base, 'email'),
      headers: { 'X-Postmark-Server-Token': key, Accept: 'application/json', 'Content-Type': 'application/json', 'User-Agent': 'theguard' },
      body: JSON.stringify({ From: m.from, To: m.to, Subject: m.subject, TextBody: m.text, HtmlBody: m.html, MessageStream: 'outbound', TrackOpens: false, TrackLinks: 'None' }),
    };
  },

  receipt(a) {
    const body = jsonBody(a);
    const id = text(body?.MessageID);
    return id && (body?.ErrorCode ?? 0) === 0 ? { id, response: `HTTP ${a.status} ${text(body?.Message) ?? ''}`.trim() } : null;
  },

  failure(a): ApiFailure {
    const body = jsonBody(a);
    const code = typeof body?.ErrorCode === 'number' ? body.ErrorCode : undefined;
    const detail = [code === undefined ? '' : `ErrorCode ${code}`, text(body?.Message) ?? ''].filter(Boolean).join(': ') || undefined;
    if (a.status === 403 && code === undefined) {
      return { cause: 'blocked', detail: 'a network security layer answered, not the API: no Postmark ErrorCode',
        fix: 'Postmark says a valid request should not be stopped there: retry in a few minutes, and if it persists, contact Postmark support' };
    }
    const known = code === undefined ? undefined : BY_CODE[code];
    if (known) return { ...known, detail };
    if (a.status === 401) return { ...(BY_CODE[10] as ApiFailure), detail };
    return { cause: a.status === 422 ? 'rejected' : causeOfStatus(a.status), detail };
  },

  scopeProbe(key, base) {
    return {
      // Every server token can read the server's sent messages through the Messages API.
      call: { method: 'GET', url: apiUrl(base, 'messages/outbound', { count: '1', offset: '0' }), headers: { 'X-Postmark-Server-Token': key, Accept: 'application/json', 'User-Agent': 'theguard' } },
      judge(a) {
        if (a.status === 200) {
          return { status: 'warn', title: 'the Postmark server token can read sent messages back, codes included (Messages API); Postmark has no send-only token',
            fix: 'give theguard a Postmark server of its own so the token reaches nothing else, and keep it out of any agent\'s environment; for a send-only key, use Resend, SendGrid or Mailgun' };
        }
        if (a.status === 401) return { status: 'fail', title: 'Postmark refused the server token (HTTP 401)', fix: "use the Server API token from the server's API Tokens tab" };
        if (a.status === 403 && jsonBody(a)?.ErrorCode === undefined) {
          return { status: 'warn', title: "Postmark's network security layer blocked the probe (HTTP 403, not a Postmark error); Postmark server tokens can normally read sent messages",
            fix: 'retry `theguard doctor` later; give theguard a Postmark server of its own' };
        }
        return { status: 'warn', title: `could not tell what the Postmark token may do (HTTP ${a.status}); Postmark server tokens can normally read sent messages`, fix: 'give theguard a Postmark server of its own' };
      },
    };
  },
};
