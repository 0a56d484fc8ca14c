import type { ApiProvider } from './api-delivery.js';
import { apiUrl } from './endpoint.js';
import { type ApiFailure, causeOfStatus } from './failure.js';
import { jsonBody, text } from './https.js';

/**
 * Postmark: POST /email with a JSON body and the `X-Postmark-Server-Token` header
 * (Accept and Content-Type must be application/json). Success is 200 with
 * `{ "MessageID", "ErrorCode": 0 }`; refusals are 401, or 422 with `{ "ErrorCode", "Message" }`.
 * Open tracking is off: no pixel in a message that holds a code.
 * Docs: https://postmarkapp.com/developer/api/email-api,
 * https://postmarkapp.com/developer/api/overview#error-codes
 */
const SENDER_CODES = new Set([400, 401, 412, 413]); // signature not found / not confirmed, account pending / may not send
const RECIPIENT_CODES = new Set([406]); // inactive recipient (bounced, or marked as spam)

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
    if (a.status === 401 || code === 10) {
      return { cause: 'key', detail, fix: "use the Server API token (the server's API Tokens tab), not the account token" };
    }
    if (code !== undefined && SENDER_CODES.has(code)) {
      return { cause: 'sender', detail, fix: 'add and confirm a Sender Signature or domain for email.from in Postmark (Sender Signatures), and make sure the account is approved to send' };
    }
    if (code !== undefined && RECIPIENT_CODES.has(code)) {
      return { cause: 'recipient', detail, fix: "Postmark stopped sending to email.to after a bounce or spam complaint: reactivate the address in the server's Suppressions" };
    }
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
        return { status: 'warn', title: `could not tell what the Postmark token may do (HTTP ${a.status}); Postmark server tokens can normally read sent messages`, fix: 'give theguard a Postmark server of its own' };
      },
    };
  },
};
