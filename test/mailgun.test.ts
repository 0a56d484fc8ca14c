import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CODE, ProviderKit, codeMessage, failure } from './helpers/provider-kit.js';
import { formFields } from './helpers/provider-api.js';

/**
 * Mailgun, against a loopback HTTPS server that checks each request as Mailgun documents
 * it and answers with its documented bodies
 * (https://documentation.mailgun.com/docs/mailgun/api-reference, .../quickstart-guide/responses).
 */
let kit: ProviderKit;
beforeAll(async () => {
  kit = await ProviderKit.start('mailgun', { domain: 'mg.example.com' });
});
afterEach(() => kit.wellFormed());
afterAll(() => kit?.stop());

const mailgun = (extra: Record<string, unknown> = {}) => kit.delivery({ provider: 'mailgun', domain: 'mg.example.com', ...extra });
const error = (status: number, message: string) => ({ status, body: { message } });

describe('mailgun: the request', () => {
  it('POSTs multipart/form-data to /v3/{domain}/messages with Basic api:KEY, and returns the id', async () => {
    kit.api.answer({ status: 200, body: { id: '<20260210120000.1.ABCDEF@mg.example.com>', message: 'Queued. Thank you.' } });
    const receipt = await mailgun().send(codeMessage());
    expect(receipt).toEqual({ id: '<20260210120000.1.ABCDEF@mg.example.com>', response: 'HTTP 200 Queued. Thank you.' });
    const req = kit.api.last;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v3/mg.example.com/messages');
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from(`api:${kit.key}`).toString('base64')}`);
    expect(req.headers['content-type']).toMatch(/^multipart\/form-data; boundary=theguard-[0-9a-f]{32}$/);
    const form = Object.fromEntries(formFields(req));
    expect(form).toEqual({ from: 'theguard <guard@example.com>', to: 'jane@example.com', subject: 'theguard: approve push to main', text: codeMessage().text, html: codeMessage().html, 'o:tracking': 'no' });
  });

  it('the region picks the base URL: us by default, eu on request', async () => {
    const { createDelivery } = await import('../src/core/delivery/index.js');
    const us = createDelivery(kit.email({ provider: 'mailgun', domain: 'mg.example.com', endpoint: undefined }));
    const eu = createDelivery(kit.email({ provider: 'mailgun', domain: 'mg.example.com', region: 'eu', endpoint: undefined }));
    expect(us.describe()).toMatch(/^Mailgun API at api\.mailgun\.net,/);
    expect(eu.describe()).toMatch(/^Mailgun API at api\.eu\.mailgun\.net,/);
  });
});

describe('mailgun: every refusal names its cause and the fix', () => {
  it('401 "Forbidden" (plain text): the key, or its region', async () => {
    kit.api.answer({ status: 401, body: 'Forbidden', headers: { 'Content-Type': 'text/plain' } });
    const err = await failure(mailgun().send(codeMessage()));
    expect(err.message).toBe(`Mailgun refused the API key in ${kit.keyFile} (HTTP 401 Forbidden); nothing was delivered`);
    expect(err.fix).toMatch(/email\.region.*Domain Sending Key/);
  });

  it('403 sandbox domain: the recipient is not authorized', async () => {
    kit.api.answer(error(403, 'Domain sandbox123.mailgun.org is not allowed to send: Free accounts are for test purposes only. Please upgrade or add the address to authorized recipients in Account Settings.'));
    const err = await failure(mailgun().send(codeMessage()));
    expect(err.message).toMatch(/^Mailgun refused the recipient \(HTTP 403 Domain sandbox123/);
    expect(err.fix).toMatch(/authorized recipients/);
  });

  it('404 unknown domain: the domain or region', async () => {
    kit.api.answer(error(404, 'Domain not found: mg.example.com'));
    const err = await failure(mailgun().send(codeMessage()));
    expect(err.message).toMatch(/^Mailgun refused the sender address \(HTTP 404 Domain not found: mg\.example\.com\)/);
    expect(err.fix).toMatch(/email\.domain.*email\.region/);
  });

  it("400 invalid 'from': the sender", async () => {
    kit.api.answer(error(400, "'from' parameter is not a valid address. please check documentation"));
    expect((await failure(mailgun().send(codeMessage()))).message).toMatch(/^Mailgun refused the sender address \(HTTP 400 'from' parameter/);
  });

  it('422: rejected', async () => {
    kit.api.answer(error(422, 'Unprocessable Entity'));
    expect((await failure(mailgun().send(codeMessage()))).message).toMatch(/^Mailgun rejected the message \(HTTP 422/);
  });

  it('429 with Retry-After that fits: retried once, then delivered', async () => {
    kit.api.answer({ ...error(429, 'Too many requests'), headers: { 'Retry-After': '1' } }, { status: 200, body: { id: '<second@mg.example.com>', message: 'Queued. Thank you.' } });
    expect((await mailgun().send(codeMessage())).id).toBe('<second@mg.example.com>');
    expect(kit.api.requests).toHaveLength(2);
  });

  it('429 with a long Retry-After: no retry, says why', async () => {
    kit.api.answer({ ...error(429, 'Too many requests'), headers: { 'Retry-After': '30' } });
    const err = await failure(mailgun().send(codeMessage()));
    expect(kit.api.requests).toHaveLength(1);
    expect(err.message).toMatch(/^Mailgun is rate-limiting this account \(HTTP 429 Too many requests\); it asked for a retry after 30 s/);
  });

  it('500 twice: a server error', async () => {
    kit.api.answer(error(500, 'Internal Server Error'));
    expect((await failure(mailgun().send(codeMessage()))).message).toMatch(/^Mailgun failed with a server error \(HTTP 500 Internal Server Error\); again after one retry/);
  });

  it('a hang past the deadline: a timeout', async () => {
    kit.api.answer('hang');
    expect((await failure(mailgun({ timeoutSeconds: 1 }).send(codeMessage()))).message).toMatch(/^no answer from Mailgun .* within 1 s/);
  });

  it('an echoed code never reaches the error', async () => {
    kit.api.answer(error(400, `text parameter invalid: ${CODE}`));
    expect((await failure(mailgun().send(codeMessage()))).message).not.toContain(CODE);
  });
});

describe('mailgun: key scope (doctor)', () => {
  it('a key that can read events (account key) is a warning: use a Domain Sending Key', async () => {
    kit.api.answer({ status: 200, body: { items: [], paging: {} } });
    const f = await mailgun().probeKeyScope?.();
    expect(kit.api.last.method).toBe('GET');
    expect(kit.api.last.path).toBe('/v3/mg.example.com/events?limit=1');
    expect(kit.api.last.headers.authorization).toBe(`Basic ${Buffer.from(`api:${kit.key}`).toString('base64')}`);
    expect(f).toMatchObject({ status: 'warn', title: expect.stringMatching(/can read the domain's events and stored messages/) });
    expect(f?.fix).toMatch(/Domain Sending Key/);
  });

  it('a Domain Sending Key (refused on events) is fine', async () => {
    kit.api.answer({ status: 401, body: 'Forbidden' });
    expect(await mailgun().probeKeyScope?.()).toMatchObject({ status: 'ok' });
  });
});
