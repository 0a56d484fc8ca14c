import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CODE, ProviderKit, codeMessage, failure } from './helpers/provider-kit.js';

/**
 * SendGrid, against a loopback HTTPS server that checks each request as SendGrid
 * documents it and answers with its documented bodies
 * (https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send,
 * .../how-to-use-the-sendgrid-v3-api/responses, .../api-key-permissions).
 */
let kit: ProviderKit;
beforeAll(async () => {
  kit = await ProviderKit.start('sendgrid');
});
afterEach(() => kit.wellFormed());
afterAll(() => kit?.stop());

const sendgrid = (extra: Record<string, unknown> = {}) => kit.delivery({ provider: 'sendgrid', ...extra });
const error = (status: number, message: string, field: string | null = null) => ({ status, body: { errors: [{ message, field, help: null }] } });

describe('sendgrid: the request', () => {
  it('POSTs JSON to /v3/mail/send with a Bearer key: personalizations, from, subject, text then HTML; 202 with X-Message-Id', async () => {
    kit.api.answer({ status: 202, headers: { 'X-Message-Id': 'W86EgYT6SQKk0lRflfLRsA' } });
    const receipt = await sendgrid().send(codeMessage());
    expect(receipt).toEqual({ id: 'W86EgYT6SQKk0lRflfLRsA', response: 'HTTP 202 Accepted' });
    const req = kit.api.last;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v3/mail/send');
    expect(req.headers.authorization).toBe(`Bearer ${kit.key}`);
    expect(req.headers['content-type']).toBe('application/json');
    const body = JSON.parse(req.body);
    expect(body.personalizations).toEqual([{ to: [{ email: 'jane@example.com' }] }]);
    expect(body.from).toEqual({ email: 'guard@example.com', name: 'theguard' });
    expect(body.subject).toBe('theguard: approve push to main');
    expect(body.content).toEqual([{ type: 'text/plain', value: codeMessage().text }, { type: 'text/html', value: codeMessage().html }]);
    expect(body.tracking_settings).toEqual({ click_tracking: { enable: false }, open_tracking: { enable: false } });
  });

  it('a 200 is not the documented 202: unexpected', async () => {
    kit.api.answer({ status: 200, body: {} });
    expect((await failure(sendgrid().send(codeMessage()))).message).toMatch(/SendGrid gave an unexpected answer \(HTTP 200/);
  });
});

describe('sendgrid: every refusal names its cause and the fix', () => {
  it('401: the key', async () => {
    kit.api.answer(error(401, 'The provided authorization grant is invalid, expired, or revoked'));
    const err = await failure(sendgrid().send(codeMessage()));
    expect(err.message).toBe(`SendGrid refused the API key in ${kit.keyFile} (HTTP 401 The provided authorization grant is invalid, expired, or revoked); nothing was delivered`);
    expect(err.fix).toMatch(/restricted key with Mail Send/);
  });

  it('403 unverified Sender Identity: the sender, and how to verify it', async () => {
    kit.api.answer(error(403, 'The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved.', 'from'));
    const err = await failure(sendgrid().send(codeMessage()));
    expect(err.message).toMatch(/^SendGrid refused the sender address \(HTTP 403 The from address does not match a verified Sender Identity\..*\(field from\)\)/);
    expect(err.fix).toMatch(/Single Sender|Sender Authentication/);
  });

  it('401 "Authenticated user is not authorized to send mail" (Twilio error 60604): the key lacks Mail Send', async () => {
    kit.api.answer(error(401, 'Authenticated user is not authorized to send mail'));
    const err = await failure(sendgrid().send(codeMessage()));
    expect(err.message).toBe('SendGrid refused the request: this key may not send (HTTP 401 Authenticated user is not authorized to send mail); nothing was delivered');
    expect(err.fix).toMatch(/Mail Send permission/);
  });

  it('401 "Maximum credits exceeded": the plan\'s credits, not the key', async () => {
    kit.api.answer(error(401, 'Maximum credits exceeded'));
    const err = await failure(sendgrid().send(codeMessage()));
    expect(err.message).toBe('SendGrid refused to send: the account has used up its sending credits (HTTP 401 Maximum credits exceeded); nothing was delivered');
    expect(err.fix).toMatch(/credits are used up/);
  });

  it('another 403: named as SendGrid documents it (a temporary block after too many bad requests), not as "this key may not send"', async () => {
    // The body is SendGrid's documented 403 example ("access forbidden", from the scopes reference).
    kit.api.answer(error(403, 'access forbidden'));
    const err = await failure(sendgrid().send(codeMessage()));
    expect(err.message).toBe('SendGrid refused the request (HTTP 403 access forbidden); nothing was delivered');
    expect(err.fix).toMatch(/temporary block after too many bad requests.*Mail Send/);
  });

  it('400 with a field: the message was rejected, naming the field', async () => {
    kit.api.answer(error(400, 'Does not contain a valid address.', 'personalizations.0.to.0.email'));
    expect((await failure(sendgrid().send(codeMessage()))).message).toMatch(/^SendGrid rejected the message \(HTTP 400 Does not contain a valid address\. \(field personalizations\.0\.to\.0\.email\)\)/);
  });

  it('413 payload too large: rejected', async () => {
    kit.api.answer(error(413, 'Payload Too Large'));
    expect((await failure(sendgrid().send(codeMessage()))).message).toMatch(/^SendGrid rejected the message \(HTTP 413/);
  });

  // SendGrid's documented 429: X-RateLimit-Limit, -Remaining and -Reset (Unix epoch seconds), no Retry-After.
  const rateLimited = (resetAt: number) => ({ ...error(429, 'too many requests'),
    headers: { 'X-RateLimit-Limit': '150', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(resetAt) } });

  it('429 with X-RateLimit-Reset 3 s ahead: waits until then (not the 1 s default), retries once, delivers', async () => {
    kit.api.answer(rateLimited(Math.ceil(Date.now() / 1000) + 3), { status: 202, headers: { 'X-Message-Id': 'second' } });
    expect((await sendgrid().send(codeMessage())).id).toBe('second');
    const [first, second] = kit.api.requests;
    expect(kit.api.requests).toHaveLength(2);
    // A lower bound on a deliberate wait: the retry came no sooner than the reset asked for.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(2900);
  });

  it('429 with X-RateLimit-Reset beyond the time left: no retry, and the header is named', async () => {
    kit.api.answer(rateLimited(Math.ceil(Date.now() / 1000) + 60));
    const err = await failure(sendgrid().send(codeMessage()));
    expect(kit.api.requests).toHaveLength(1);
    expect(err.message).toMatch(/^SendGrid is rate-limiting this account \(HTTP 429 too many requests\); it asked for a retry after (59|60|61) s \(X-RateLimit-Reset\), which does not fit/);
  });

  it('429 whose reset has passed, twice: retried at once, then the rate limit', async () => {
    kit.api.answer(rateLimited(Math.floor(Date.now() / 1000) - 1));
    const err = await failure(sendgrid().send(codeMessage()));
    expect(kit.api.requests).toHaveLength(2);
    expect(err.message).toMatch(/^SendGrid is rate-limiting this account \(HTTP 429 too many requests\); again after one retry/);
  });

  it('500 twice: a server error', async () => {
    kit.api.answer(error(500, 'internal error'));
    expect((await failure(sendgrid().send(codeMessage()))).message).toMatch(/^SendGrid failed with a server error \(HTTP 500 internal error\); again after one retry/);
  });

  it('a hang past the deadline: a timeout', async () => {
    kit.api.answer('hang');
    expect((await failure(sendgrid({ timeoutSeconds: 1 }).send(codeMessage()))).message).toMatch(/^no answer from SendGrid .* within 1 s/);
  });

  it('an echoed code never reaches the error', async () => {
    kit.api.answer(error(400, `The content value ${CODE} is not allowed`, 'content.0.value'));
    expect((await failure(sendgrid().send(codeMessage()))).message).not.toContain(CODE);
  });
});

describe('sendgrid: key scope (doctor)', () => {
  it('a key restricted to mail.send (plus the scopes SendGrid adds itself) is fine', async () => {
    kit.api.answer({ status: 200, body: { scopes: ['mail.send', '2fa_required', 'sender_verification_eligible', 'sender_verification_exempt'] } });
    const f = await sendgrid().probeKeyScope?.();
    expect(kit.api.last.method).toBe('GET');
    expect(kit.api.last.path).toBe('/v3/scopes');
    expect(kit.api.last.headers.authorization).toBe(`Bearer ${kit.key}`);
    expect(f).toMatchObject({ status: 'ok', title: 'the SendGrid key is restricted to mail.send' });
  });

  it('any scope beyond mail.send is a warning: use a restricted key with mail.send only', async () => {
    kit.api.answer({ status: 200, body: { scopes: ['mail.send', 'messages.read', 'api_keys.create', 'user.profile.read'] } });
    const f = await sendgrid().probeKeyScope?.();
    expect(f).toMatchObject({ status: 'warn', title: expect.stringMatching(/3 permission\(s\) beyond mail\.send/) });
    expect(f?.detail).toMatch(/messages\.read/);
    expect(f?.fix).toMatch(/restricted key with Mail Send only/);
  });

  it('a key SendGrid refuses (401) fails the check', async () => {
    kit.api.answer({ status: 401, body: { errors: [{ field: null, message: 'authorization required' }] } });
    expect(await sendgrid().probeKeyScope?.()).toMatchObject({ status: 'fail', title: 'SendGrid refused the API key (HTTP 401)' });
  });

  it('a 403 on the scopes endpoint cannot tell what the key may do: a warning, not a failure', async () => {
    kit.api.answer({ status: 403, body: { errors: [{ message: 'access forbidden', field: 'null' }] } });
    expect(await sendgrid().probeKeyScope?.()).toMatchObject({ status: 'warn', title: "could not list the SendGrid key's permissions (HTTP 403)" });
  });

  it('a key without mail.send fails: it could never deliver a code', async () => {
    kit.api.answer({ status: 200, body: { scopes: ['stats.read'] } });
    expect(await sendgrid().probeKeyScope?.()).toMatchObject({ status: 'fail', title: expect.stringMatching(/lacks the mail\.send permission/) });
  });
});
