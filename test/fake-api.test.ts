import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeApi } from './helpers/fake-api.js';
import { PROVIDER_API, type ProviderName } from './helpers/provider-api.js';
import { type TestPki, makePki } from './helpers/tls.js';

/**
 * The fake providers themselves: each checks every request as its provider documents it
 * and answers a malformed one with a 400 naming the problem, instead of its script. The
 * provider tests rely on this (kit.wellFormed() after each test), so it is proven here.
 */
let pki: TestPki;
let api: FakeApi;
beforeAll(async () => {
  pki = makePki();
  api = await FakeApi.start(pki);
});
afterAll(async () => {
  await api?.close();
  pki?.cleanup();
});

function send(method: string, path: string, headers: Record<string, string>, body = ''): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${api.url}${path}`, { method, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }, ca: pki.ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const KEY = 'fake-api-test-key';
const basic = (user: string, key: string) => `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`;
const form = (fields: Record<string, string>) => {
  const b = 'b0undary';
  return { type: `multipart/form-data; boundary=${b}`, body: `${Object.entries(fields).map(([k, v]) => `--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('')}--${b}--\r\n` };
};
const mail = { from: 'guard@mg.example.com', to: 'jane@example.com', subject: 'hi', text: 'hello' };

/** [provider, what is wrong, method, path, headers, body, the problem the fake must name] */
const MALFORMED: [ProviderName, string, string, string, Record<string, string>, string, RegExp][] = [
  ['resend', 'no User-Agent', 'POST', '/emails', { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' }, JSON.stringify({ from: 'a@x.com', to: ['b@x.com'], subject: 's', text: 't' }), /no User-Agent header/],
  ['resend', 'another key', 'POST', '/emails', { Authorization: 'Bearer other', 'User-Agent': 'x', 'Content-Type': 'application/json' }, JSON.stringify({ from: 'a@x.com', to: ['b@x.com'], subject: 's', text: 't' }), /not the configured key/],
  ['resend', 'no body text', 'POST', '/emails', { Authorization: `Bearer ${KEY}`, 'User-Agent': 'x', 'Content-Type': 'application/json' }, JSON.stringify({ from: 'a@x.com', to: ['b@x.com'], subject: 's' }), /needs "html" or "text"/],
  ['postmark', 'no Accept', 'POST', '/email', { 'X-Postmark-Server-Token': KEY, 'Content-Type': 'application/json' }, JSON.stringify({ From: 'a@x.com', To: 'b@x.com', TextBody: 't' }), /Accept must be application\/json/],
  ['postmark', 'a form, not JSON', 'POST', '/email', { 'X-Postmark-Server-Token': KEY, Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' }, 'From=a', /Content-Type must be application\/json/],
  ['postmark', 'no offset', 'GET', '/messages/outbound?count=1', { 'X-Postmark-Server-Token': KEY, Accept: 'application/json' }, '', /"offset" is required/],
  ['sendgrid', 'no Accept', 'GET', '/v3/scopes', { Authorization: `Bearer ${KEY}` }, '', /Accept must be application\/json/],
  ['sendgrid', 'html before text', 'POST', '/v3/mail/send', { Authorization: `Bearer ${KEY}`, Accept: 'application/json', 'Content-Type': 'application/json' },
    JSON.stringify({ personalizations: [{ to: [{ email: 'b@x.com' }] }], from: { email: 'a@x.com' }, subject: 's', content: [{ type: 'text/html', value: '<p>t</p>' }, { type: 'text/plain', value: 't' }] }), /text\/plain must be the first content/],
  ['mailgun', 'urlencoded, not multipart', 'POST', '/v3/mg.example.com/messages', { Authorization: basic('api', KEY), 'Content-Type': 'application/x-www-form-urlencoded' }, new URLSearchParams(mail).toString(), /multipart\/form-data/],
  ['mailgun', 'the wrong user', 'POST', '/v3/mg.example.com/messages', { Authorization: basic('key', KEY), 'Content-Type': form(mail).type }, form(mail).body, /user "api"/],
  ['mailgun', 'another domain', 'GET', '/v3/other.example.com/events?limit=1', { Authorization: basic('api', KEY) }, '', /names domain "other\.example\.com"/],
  ['mailgun', 'no from', 'POST', '/v3/mg.example.com/messages', { Authorization: basic('api', KEY), 'Content-Type': form({ ...mail, from: '' }).type }, form({ ...mail, from: '' }).body, /"from" parameter is missing/],
];

describe('the fake providers refuse what the real ones document as malformed', () => {
  it.each(MALFORMED)('%s: %s', async (provider, _what, method, path, headers, body, problem) => {
    api.expect(PROVIDER_API[provider]({ key: KEY, domain: 'mg.example.com' })).answer({ status: 200, body: { id: 'would-be-success' } });
    const res = await send(method, path, headers, body);
    expect(res.status).toBe(400);
    const said = res.body.replace(/\\"/g, '"'); // the problem sits in a JSON string
    expect(said).toMatch(problem);
    expect(said).toMatch(/the fake \w+ API refused a malformed request/);
    expect(api.problems).toEqual([expect.stringMatching(problem)]);
  });

  it('an endpoint the provider does not have is refused too', async () => {
    api.expect(PROVIDER_API.resend({ key: KEY })).answer({ status: 200, body: { id: 'x' } });
    const res = await send('POST', '/v1/send', { Authorization: `Bearer ${KEY}`, 'User-Agent': 'x' }, '{}');
    expect(res.status).toBe(400);
    expect(res.body).toMatch(/Resend has no POST \/v1\/send endpoint/);
  });

  it('a well-formed request gets the scripted answer and no problem', async () => {
    api.expect(PROVIDER_API.mailgun({ key: KEY, domain: 'mg.example.com' })).answer({ status: 200, body: { id: '<1@mg.example.com>', message: 'Queued. Thank you.' } });
    const res = await send('POST', '/v3/mg.example.com/messages', { Authorization: basic('api', KEY), 'Content-Type': form(mail).type }, form(mail).body);
    expect(res.status).toBe(200);
    expect(api.problems).toEqual([]);
  });
});
