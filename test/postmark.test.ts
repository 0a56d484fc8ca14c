import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CODE, ProviderKit, codeMessage, failure } from './helpers/provider-kit.js';

/**
 * Postmark, against a loopback HTTPS server that checks each request as Postmark
 * documents it and answers with its documented bodies
 * (https://postmarkapp.com/developer/api/email-api, .../overview#error-codes).
 */
let kit: ProviderKit;
beforeAll(async () => {
  kit = await ProviderKit.start('postmark');
});
afterEach(() => kit.wellFormed());
afterAll(() => kit?.stop());

const postmark = (extra: Record<string, unknown> = {}) => kit.delivery({ provider: 'postmark', ...extra });
const error = (status: number, code: number, message: string) => ({ status, body: { ErrorCode: code, Message: message } });

describe('postmark: the request', () => {
  it('POSTs JSON to /email with X-Postmark-Server-Token, Accept and Content-Type, and returns the MessageID', async () => {
    kit.api.answer({ status: 200, body: { To: 'jane@example.com', SubmittedAt: '2026-02-10T12:00:00.000-05:00', MessageID: 'b7bc2f4a-e38e-4336-af7d-e6c392c2f817', ErrorCode: 0, Message: 'OK' } });
    const receipt = await postmark().send(codeMessage());
    expect(receipt).toEqual({ id: 'b7bc2f4a-e38e-4336-af7d-e6c392c2f817', response: 'HTTP 200 OK' });
    const req = kit.api.last;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/email');
    expect(req.headers['x-postmark-server-token']).toBe(kit.key);
    expect(req.headers.authorization).toBeUndefined();
    expect(req.headers.accept).toBe('application/json');
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual({
      From: 'theguard <guard@example.com>', To: 'jane@example.com', Subject: 'theguard: approve push to main',
      TextBody: codeMessage().text, HtmlBody: codeMessage().html, MessageStream: 'outbound', TrackOpens: false, TrackLinks: 'None',
    });
  });

  it('a 200 whose ErrorCode is not 0 is not a success', async () => {
    kit.api.answer({ status: 200, body: { MessageID: 'x', ErrorCode: 300, Message: 'Invalid email request' } });
    const err = await failure(postmark().send(codeMessage()));
    expect(err.message).toMatch(/Postmark gave an unexpected answer/);
  });
});

describe('postmark: every refusal names its cause and the fix', () => {
  it('401 ErrorCode 10: the token, and which token to use', async () => {
    kit.api.answer(error(401, 10, 'No Account or Server API tokens were supplied in the HTTP headers.'));
    const err = await failure(postmark().send(codeMessage()));
    expect(err.message).toBe(`Postmark refused the API key in ${kit.keyFile} (HTTP 401 ErrorCode 10: No Account or Server API tokens were supplied in the HTTP headers.); nothing was delivered`);
    expect(err.fix).toMatch(/Server API token/);
  });

  it('403 with an HTML page (Postmark\'s network security layer, not its API): named as such, not as a key problem', async () => {
    // Postmark's own description of this answer: text/html, a 403 page, no ErrorCode.
    kit.api.answer({ status: 403, headers: { 'Content-Type': 'text/html' }, body: '<html>\n<head><title>403 Forbidden</title></head>\n<body>\n<center><h1>403 Forbidden</h1></center>\n</body>\n</html>' });
    const err = await failure(postmark().send(codeMessage()));
    expect(err.message).toBe('Postmark did not let the request reach its API (HTTP 403 a network security layer answered, not the API: no Postmark ErrorCode); nothing was delivered');
    expect(err.message).not.toMatch(/<html|key/);
    expect(err.fix).toMatch(/contact Postmark support/);
  });

  it('422 ErrorCode 400: the sender signature, and how to add one', async () => {
    kit.api.answer(error(422, 400, "The 'From' address you supplied (guard@example.com) is not a Sender Signature on your account."));
    const err = await failure(postmark().send(codeMessage()));
    expect(err.message).toMatch(/^Postmark refused the sender address \(HTTP 422 ErrorCode 400: The 'From' address/);
    expect(err.fix).toMatch(/Sender Signature/);
  });

  it('422 ErrorCode 401: an unconfirmed sender signature is the sender too', async () => {
    kit.api.answer(error(422, 401, 'Sender signature not confirmed'));
    const err = await failure(postmark().send(codeMessage()));
    expect(err.message).toMatch(/^Postmark refused the sender address/);
    expect(err.fix).toMatch(/not confirmed yet/);
  });

  it('422 ErrorCode 405 ("Not allowed to send"): the account ran out of credits, not a sender problem', async () => {
    kit.api.answer(error(422, 405, 'Not allowed to send'));
    const err = await failure(postmark().send(codeMessage()));
    expect(err.message).toBe('Postmark refused to send: the account has used up its sending credits (HTTP 422 ErrorCode 405: Not allowed to send); nothing was delivered');
    expect(err.fix).toMatch(/ran out of credits/);
  });

  it('422 ErrorCode 406: an inactive recipient, and where to reactivate it', async () => {
    kit.api.answer(error(422, 406, 'You tried to send to recipient(s) that have been marked as inactive.'));
    const err = await failure(postmark().send(codeMessage()));
    expect(err.message).toMatch(/^Postmark refused the recipient \(HTTP 422 ErrorCode 406/);
    expect(err.fix).toMatch(/Suppressions/);
  });

  it('422 ErrorCode 412 ("Account is pending"): the account awaits approval, and what it may do meanwhile', async () => {
    kit.api.answer(error(422, 412, 'Account is pending'));
    const err = await failure(postmark().send(codeMessage()));
    expect(err.message).toMatch(/^Postmark refused to send from this account \(HTTP 422 ErrorCode 412: Account is pending\)/);
    expect(err.fix).toMatch(/pending approval.*own verified domains/);
  });

  it('422 ErrorCode 413 ("Account may not send"): the account, not the sender', async () => {
    kit.api.answer(error(422, 413, 'Account may not send'));
    const err = await failure(postmark().send(codeMessage()));
    expect(err.message).toMatch(/^Postmark refused to send from this account \(HTTP 422 ErrorCode 413/);
    expect(err.fix).toMatch(/may not send/);
  });

  it('422 ErrorCode 300: the message was rejected', async () => {
    kit.api.answer(error(422, 300, 'Invalid email request'));
    expect((await failure(postmark().send(codeMessage()))).message).toMatch(/^Postmark rejected the message \(HTTP 422 ErrorCode 300: Invalid email request\)/);
  });

  // Postmark documents 429 (ErrorCode 429, "Rate Limit Exceeded") but no header saying when to retry.
  it('429 (no Retry-After, as Postmark documents none): retried once after the default wait, then delivered', async () => {
    kit.api.answer(error(429, 429, 'Rate Limit Exceeded'), { status: 200, body: { MessageID: 'm2', ErrorCode: 0, Message: 'OK' } });
    expect((await postmark().send(codeMessage())).id).toBe('m2');
    expect(kit.api.requests).toHaveLength(2);
  });

  it('429 twice: the rate limit, after one retry', async () => {
    kit.api.answer(error(429, 429, 'Rate Limit Exceeded'));
    const err = await failure(postmark().send(codeMessage()));
    expect(kit.api.requests).toHaveLength(2);
    expect(err.message).toMatch(/^Postmark is rate-limiting this account \(HTTP 429 ErrorCode 429: Rate Limit Exceeded\); again after one retry/);
  });

  it('500 then 200: the retry delivers', async () => {
    kit.api.answer(error(500, 100, 'Maintenance'), { status: 200, body: { MessageID: 'm3', ErrorCode: 0, Message: 'OK' } });
    expect((await postmark().send(codeMessage())).id).toBe('m3');
  });

  it('500 twice: a server error', async () => {
    kit.api.answer(error(500, 100, 'Maintenance'));
    expect((await failure(postmark().send(codeMessage()))).message).toMatch(/^Postmark failed with a server error \(HTTP 500 ErrorCode 100: Maintenance\); again after one retry/);
  });

  it('a hang past the deadline: a timeout', async () => {
    kit.api.answer('hang');
    expect((await failure(postmark({ timeoutSeconds: 1 }).send(codeMessage()))).message).toMatch(/^no answer from Postmark .* within 1 s/);
  });

  it('an echoed code never reaches the error', async () => {
    kit.api.answer(error(422, 300, `Invalid TextBody: Your theguard code: ${CODE}`));
    const err = await failure(postmark().send(codeMessage()));
    expect(err.message).not.toContain(CODE);
  });
});

describe('postmark: key scope (doctor)', () => {
  it('probes the Messages API and says plainly that Postmark has no send-only token', async () => {
    kit.api.answer({ status: 200, body: { TotalCount: 0, Messages: [] } });
    const f = await postmark().probeKeyScope?.();
    expect(kit.api.last.method).toBe('GET');
    expect(kit.api.last.path).toBe('/messages/outbound?count=1&offset=0');
    expect(kit.api.last.headers['x-postmark-server-token']).toBe(kit.key);
    expect(f).toMatchObject({ status: 'warn', title: expect.stringMatching(/can read sent messages back.*Postmark has no send-only token/) });
    expect(f?.fix).toMatch(/server of its own/);
  });

  it('a refused token fails the check', async () => {
    kit.api.answer(error(401, 10, 'Bad or missing API token'));
    expect(await postmark().probeKeyScope?.()).toMatchObject({ status: 'fail' });
  });

  it('a 403 page from the network security layer says so, and cannot tell (a warning)', async () => {
    kit.api.answer({ status: 403, headers: { 'Content-Type': 'text/html' }, body: '<html><head><title>403 Forbidden</title></head></html>' });
    expect(await postmark().probeKeyScope?.()).toMatchObject({ status: 'warn', title: expect.stringMatching(/network security layer blocked the probe/) });
  });
});
