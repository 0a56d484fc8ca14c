import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CODE, ProviderKit, codeMessage, failure } from './helpers/provider-kit.js';
import type { Recorded } from './helpers/fake-api.js';
import { PROVIDER_API, formFields } from './helpers/provider-api.js';

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

  it('the region picks the host: api.mailgun.net by default, api.eu.mailgun.net for "eu"; every request goes there', async () => {
    const { createDelivery } = await import('../src/core/delivery/index.js');
    const { mailgun: provider } = await import('../src/core/delivery/mailgun.js');
    const email = (region?: string) => kit.email({ provider: 'mailgun', domain: 'mg.example.com', endpoint: undefined, ...(region ? { region } : {}) });
    // The URLs the provider builds for a send and for both doctor probes, from the base the region picks.
    const urls = (e: ReturnType<typeof email>) => {
      const base = provider.baseUrl(e);
      const probe = provider.scopeProbe('k', base, e);
      const second = probe.judge({ status: 403, headers: {}, body: '' });
      return [provider.request(codeMessage(), 'k', base, e).url.href, probe.call.url.href, 'call' in second ? second.call.url.href : ''];
    };
    expect(urls(email())).toEqual(['https://api.mailgun.net/v3/mg.example.com/messages', 'https://api.mailgun.net/v3/mg.example.com/events?limit=1', 'https://api.mailgun.net/v3/mg.example.com/messages']);
    expect(urls(email('eu'))).toEqual(['https://api.eu.mailgun.net/v3/mg.example.com/messages', 'https://api.eu.mailgun.net/v3/mg.example.com/events?limit=1', 'https://api.eu.mailgun.net/v3/mg.example.com/messages']);
    expect(createDelivery(email()).describe()).toMatch(/^Mailgun API at api\.mailgun\.net,/);
    expect(createDelivery(email('eu')).describe()).toMatch(/^Mailgun API at api\.eu\.mailgun\.net,/);
  });

  it('email.endpoint replaces the region\'s host but keeps the path: /v3/{domain}/messages', async () => {
    kit.api.answer({ status: 200, body: { id: '<eu@mg.example.com>', message: 'Queued. Thank you.' } });
    await mailgun({ region: 'eu' }).send(codeMessage());
    expect(kit.api.last.path).toBe('/v3/mg.example.com/messages');
  });
});

describe('mailgun: every refusal names its cause and the fix', () => {
  it('401 "Forbidden" (plain text): the key, or its region', async () => {
    // Not in Mailgun's current response table, but what a wrong key meets: HTTP's own meaning.
    kit.api.answer({ status: 401, body: 'Forbidden', headers: { 'Content-Type': 'text/plain' } });
    const err = await failure(mailgun().send(codeMessage()));
    expect(err.message).toBe(`Mailgun refused the API key in ${kit.keyFile} (HTTP 401 Forbidden); nothing was delivered`);
    expect(err.fix).toMatch(/email\.region.*Domain Sending Key/);
  });

  it('403 (documented: "Auth error or access denied"): a key or permission problem, with the key named', async () => {
    kit.api.answer({ status: 403, body: 'Forbidden', headers: { 'Content-Type': 'text/plain' } });
    const err = await failure(mailgun().send(codeMessage()));
    expect(err.message).toBe(`Mailgun refused the API key in ${kit.keyFile} (HTTP 403 Forbidden); nothing was delivered`);
    expect(err.fix).toMatch(/email\.region.*own domain \(email\.domain\)/);
  });

  it('403 from a sandbox domain: the recipient is not authorized', async () => {
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

  // Mailgun documents no 422: a message it cannot take is a 400 with a message saying why.
  it('400 with any other message: the message was rejected, in Mailgun\'s words', async () => {
    kit.api.answer(error(400, "'to' parameter is not a valid address. please check documentation"));
    expect((await failure(mailgun().send(codeMessage()))).message).toMatch(/^Mailgun rejected the message \(HTTP 400 'to' parameter is not a valid address/);
  });

  it('404 for a sandbox domain Mailgun does not know is still the domain, not the recipient', async () => {
    kit.api.answer(error(404, 'Domain not found: sandbox123.mailgun.org'));
    expect((await failure(mailgun().send(codeMessage()))).message).toMatch(/^Mailgun refused the sender address \(HTTP 404 Domain not found/);
  });

  // Mailgun says to retry a 429 "as defined in the response" without naming the header: Retry-After, HTTP's own, is assumed.
  it('429 with Retry-After that fits: waits as asked (3 s, not the 1 s default), retries once, delivers', async () => {
    kit.api.answer({ ...error(429, 'Too many requests'), headers: { 'Retry-After': '3' } }, { status: 200, body: { id: '<second@mg.example.com>', message: 'Queued. Thank you.' } });
    expect((await mailgun().send(codeMessage())).id).toBe('<second@mg.example.com>');
    expect(kit.api.requests).toHaveLength(2);
    expect((kit.api.requests[1]?.at ?? 0) - (kit.api.requests[0]?.at ?? 0)).toBeGreaterThanOrEqual(2900);
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

  it('a Domain Sending Key: refused on events, then takes the key on a form that can never be sent (400): ok', async () => {
    kit.api.answer({ status: 403, body: 'Forbidden', headers: { 'Content-Type': 'text/plain' } });
    const f = await mailgun().probeKeyScope?.();
    expect(f).toMatchObject({ status: 'ok', title: expect.stringMatching(/may send but not read events.*Domain Sending Key/) });
    const [events, form] = kit.api.requests;
    expect(`${events?.method} ${events?.path}`).toBe('GET /v3/mg.example.com/events?limit=1');
    expect(`${form?.method} ${form?.path}`).toBe('POST /v3/mg.example.com/messages');
    // The fake, as Mailgun, refused the form with a 400: it names no sender, recipient or body.
    expect(Object.fromEntries(formFields(form as Recorded))).toEqual({ 'o:testmode': 'yes' });
    expect(kit.api.problems).toEqual([expect.stringMatching(/"from" parameter is missing.*"to" parameter is missing/)]);
    kit.api.problems.length = 0;
  });

  it('a wrong key: refused on events and on the form alike (403): the check fails', async () => {
    // Mailgun checks the key before the form, so the fake answers 403 to both without checking them.
    kit.api.expect(undefined).answer({ status: 403, body: 'Forbidden', headers: { 'Content-Type': 'text/plain' } });
    try {
      expect(await mailgun().probeKeyScope?.()).toMatchObject({ status: 'fail', title: 'Mailgun refused the API key (HTTP 403)', fix: expect.stringMatching(/email\.region/) });
      expect(kit.api.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
    } finally {
      kit.api.expect(PROVIDER_API.mailgun({ key: kit.key, domain: 'mg.example.com' }));
    }
  });

  it('404 on events: Mailgun does not know the domain in that region; the check fails', async () => {
    kit.api.answer(error(404, 'Domain not found: mg.example.com'));
    const f = await mailgun({ region: 'eu' }).probeKeyScope?.();
    expect(f).toMatchObject({ status: 'fail', title: 'Mailgun does not know the domain mg.example.com in the eu region (HTTP 404)', fix: 'check email.domain and email.region' });
    expect(kit.api.requests).toHaveLength(1);
  });
});
