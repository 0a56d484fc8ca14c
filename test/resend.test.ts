import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CODE, ProviderKit, codeMessage, failure } from './helpers/provider-kit.js';
import { PROVIDER_API } from './helpers/provider-api.js';

/**
 * Resend, against a real HTTPS server on loopback that checks each request as Resend
 * documents it and answers with Resend's documented bodies
 * (https://resend.com/docs/api-reference/emails/send-email, .../errors).
 */
let kit: ProviderKit;
beforeAll(async () => {
  kit = await ProviderKit.start('resend');
});
afterEach(() => kit.wellFormed());
afterAll(() => kit?.stop());

const resend = (extra: Record<string, unknown> = {}) => kit.delivery({ provider: 'resend', ...extra });
const error = (status: number, name: string, message: string) => ({ status, body: { statusCode: status, name, message } });

describe('resend: the request', () => {
  it('POSTs JSON to /emails with a Bearer key, a User-Agent and an Idempotency-Key, and returns the id', async () => {
    kit.api.answer({ status: 200, body: { id: '49a3999c-0ce1-4ea6-ab68-afcd6dc2e794' } });
    const receipt = await resend().send(codeMessage());
    expect(receipt).toEqual({ id: '49a3999c-0ce1-4ea6-ab68-afcd6dc2e794', response: 'HTTP 200' });
    const req = kit.api.last;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/emails');
    expect(req.headers.authorization).toBe(`Bearer ${kit.key}`);
    expect(req.headers['user-agent']).toMatch(/\S/);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    const body = JSON.parse(req.body);
    expect(body).toEqual({ from: 'theguard <guard@example.com>', to: ['jane@example.com'], subject: 'theguard: approve push to main', text: codeMessage().text, html: codeMessage().html });
    expect(body.subject).not.toContain(CODE);
  });

  it('keeps a base URL path prefix (a proxy) and reads the key from the named variable at send time', async () => {
    kit.api.answer({ status: 200, body: { id: 'abc' } });
    process.env.THEGUARD_TEST_RESEND_KEY = 'from-the-environment';
    kit.api.expect(PROVIDER_API.resend({ key: 'from-the-environment' }));
    try {
      const d = kit.delivery({ provider: 'resend', apiKeyFile: undefined, apiKeyEnv: 'THEGUARD_TEST_RESEND_KEY', endpoint: `${kit.api.url}/proxy/resend/` });
      await d.send(codeMessage());
    } finally {
      delete process.env.THEGUARD_TEST_RESEND_KEY;
      kit.api.expect(PROVIDER_API.resend({ key: kit.key }));
    }
    expect(kit.api.last.path).toBe('/proxy/resend/emails');
    expect(kit.api.last.headers.authorization).toBe('Bearer from-the-environment');
  });

  it('a 200 without an id is an unexpected answer, not a success', async () => {
    kit.api.answer({ status: 200, body: { ok: true } });
    const err = await failure(resend().send(codeMessage()));
    expect(err.message).toMatch(/Resend gave an unexpected answer \(HTTP 200 without the message id its API documents\)/);
  });
});

describe('resend: every refusal names its cause and the fix', () => {
  it('401 missing_api_key: the key', async () => {
    kit.api.answer(error(401, 'missing_api_key', 'Missing API key in the authorization header.'));
    const err = await failure(resend().send(codeMessage()));
    expect(err.kind).toBe('delivery');
    expect(err.message).toBe(`Resend refused the API key in ${kit.keyFile} (HTTP 401 missing_api_key: Missing API key in the authorization header.); nothing was delivered`);
    expect(err.fix).toMatch(/Sending access/);
  });

  it('403 invalid_api_key: the key', async () => {
    kit.api.answer(error(403, 'invalid_api_key', 'API key is invalid.'));
    const err = await failure(resend().send(codeMessage()));
    expect(err.message).toMatch(/^Resend refused the API key in \S+ \(HTTP 403 invalid_api_key: API key is invalid\.\)/);
  });

  it('403 unverified domain: the sender, with where to verify it', async () => {
    kit.api.answer(error(403, 'validation_error', 'The example.com domain is not verified. Please, add and verify your domain on https://resend.com/domains'));
    const err = await failure(resend().send(codeMessage()));
    expect(err.message).toMatch(/^Resend refused the sender address \(HTTP 403 validation_error: The example\.com domain is not verified/);
    expect(err.fix).toMatch(/resend\.com\/domains.*email\.from/);
  });

  it('422 missing_required_field: the message was rejected', async () => {
    kit.api.answer(error(422, 'missing_required_field', 'Missing `to` field.'));
    const err = await failure(resend().send(codeMessage()));
    expect(err.message).toMatch(/^Resend rejected the message \(HTTP 422 missing_required_field: Missing `to` field\.\)/);
  });

  it('429 with a Retry-After that fits: waits as asked (3 s, not the 1 s default), one retry, then success', async () => {
    kit.api.answer({ ...error(429, 'rate_limit_exceeded', 'Too many requests. Please limit the number of requests per second.'), headers: { 'Retry-After': '3' } }, { status: 200, body: { id: 'after-retry' } });
    const receipt = await resend().send(codeMessage());
    expect(receipt.id).toBe('after-retry');
    expect(kit.api.requests).toHaveLength(2);
    // A lower bound on a deliberate wait, read from when the fake received each request.
    expect((kit.api.requests[1]?.at ?? 0) - (kit.api.requests[0]?.at ?? 0)).toBeGreaterThanOrEqual(2900);
    // The retry is the same request: Resend's idempotency key makes it send once.
    expect(kit.api.requests[1]?.headers['idempotency-key']).toBe(kit.api.requests[0]?.headers['idempotency-key']);
    expect(kit.api.requests[1]?.body).toBe(kit.api.requests[0]?.body);
  });

  it('429 with a Retry-After longer than the time left: no retry, the rate limit is named', async () => {
    kit.api.answer({ ...error(429, 'rate_limit_exceeded', 'Too many requests.'), headers: { 'Retry-After': '60' } });
    const err = await failure(resend().send(codeMessage()));
    expect(kit.api.requests).toHaveLength(1);
    expect(err.message).toMatch(/^Resend is rate-limiting this account \(HTTP 429 rate_limit_exceeded: Too many requests\.\); it asked for a retry after 60 s \(Retry-After\), which does not fit in the \d+ s left of the 10 s delivery time limit/);
    expect(err.fix).toMatch(/wait a minute/);
  });

  it('429 daily_quota_exceeded: says when it resets', async () => {
    kit.api.answer({ ...error(429, 'daily_quota_exceeded', 'You have reached your daily email sending quota.'), headers: { 'Retry-After': '86400' } });
    const err = await failure(resend().send(codeMessage()));
    expect(err.message).toMatch(/rate-limiting.*daily_quota_exceeded/);
    expect(err.fix).toMatch(/daily quota resets/);
  });

  it('500 twice: one retry, then a server error', async () => {
    kit.api.answer(error(500, 'internal_server_error', 'An unexpected error occurred.'));
    const err = await failure(resend().send(codeMessage()));
    expect(kit.api.requests).toHaveLength(2);
    expect(err.message).toBe('Resend failed with a server error (HTTP 500 internal_server_error: An unexpected error occurred.); again after one retry; nothing was delivered');
    expect(err.fix).toMatch(/status page/);
  });

  it('a hang past the deadline: a timeout naming the limit', async () => {
    kit.api.answer('hang');
    const err = await failure(resend({ timeoutSeconds: 1 }).send(codeMessage()));
    expect(err.message).toMatch(/^no answer from Resend \(127\.0\.0\.1:\d+\) within 1 s, the delivery time limit/);
    expect(err.fix).toMatch(/email\.timeoutSeconds/);
  });

  it('an error that echoes the request has the code and the key cut out', async () => {
    kit.api.answer(error(422, 'validation_error', `Invalid html near "${CODE}" for key ${kit.key}`));
    const err = await failure(resend().send(codeMessage()));
    expect(err.message).not.toContain(CODE);
    expect(err.message).not.toContain(kit.key);
    expect(err.message).toContain('[redacted]');
    expect(err.message).toContain('[key]');
  });
});

describe('resend: key scope (doctor)', () => {
  it('a full-access key (GET /domains answers 200) is a warning with the exact fix', async () => {
    kit.api.answer({ status: 200, body: { data: [] } });
    const f = await resend().probeKeyScope?.();
    expect(kit.api.last.method).toBe('GET');
    expect(kit.api.last.path).toBe('/domains');
    expect(kit.api.last.headers.authorization).toBe(`Bearer ${kit.key}`);
    expect(f).toMatchObject({ status: 'warn', title: expect.stringMatching(/full access.*read sent emails back/) });
    expect(f?.fix).toMatch(/create a Resend key with sending_access/);
  });

  it('a sending-access key (restricted_api_key) is fine', async () => {
    kit.api.answer(error(401, 'restricted_api_key', 'This API key is restricted to only send emails.'));
    expect(await resend().probeKeyScope?.()).toMatchObject({ status: 'ok', title: expect.stringMatching(/sending access only/) });
  });

  it('an invalid key fails the check', async () => {
    kit.api.answer(error(403, 'invalid_api_key', 'API key is invalid.'));
    expect(await resend().probeKeyScope?.()).toMatchObject({ status: 'fail', title: 'Resend refused the API key' });
  });
});
