import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeApi } from './helpers/fake-api.js';
import { PROVIDER_API } from './helpers/provider-api.js';
import { Sandbox } from './helpers/sandbox.js';
import { type TestPki, makePki } from './helpers/tls.js';

/** `theguard email test`, `theguard doctor`'s key-scope check and the email config errors, through the built CLI. */
let pki: TestPki;
let api: FakeApi;
let sb: Sandbox;
beforeAll(async () => {
  pki = makePki();
  // It plays Resend, checking every request as Resend documents it, with the test's key.
  api = (await FakeApi.start(pki)).expect(PROVIDER_API.resend({ key: 're_test_key_123456' }));
});
afterEach(() => expect(api.problems).toEqual([]));
afterAll(async () => {
  await api?.close();
  pki?.cleanup();
});
afterEach(() => sb?.cleanup());

const resendConfig = () => ({ email: { provider: 'resend', to: 'jane@example.com', from: 'theguard <guard@example.com>', endpoint: api.url } });
const env = { NODE_EXTRA_CA_CERTS: '', RESEND_API_KEY: 're_test_key_123456' };
const cli = (args: string[]) => sb.cli(args, { env: { ...env, NODE_EXTRA_CA_CERTS: pki.caPath } });

describe('theguard email test', () => {
  it('sends a message without a code and reports what the provider answered', async () => {
    sb = new Sandbox({ config: resendConfig() });
    api.answer({ status: 200, body: { id: '49a3999c-0ce1-4ea6-ab68-afcd6dc2e794' } });
    const res = await cli(['email', 'test']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Sending a test message \(no code\) to j\*\*\*@e\*\*\*\.com via Resend API at 127\.0\.0\.1:\d+, key from \$RESEND_API_KEY/);
    expect(res.stdout).toMatch(/Sent\. The provider answered: HTTP 200; message id 49a3999c-0ce1-4ea6-ab68-afcd6dc2e794\./);
    const body = JSON.parse(api.last.body);
    expect(body.subject).toBe('theguard: test message (no code)');
    expect(body.text).not.toMatch(/Your theguard code|\d{6}/);
    expect(body.text).toMatch(/holds no code and approves nothing/);
    // It requests nothing: no clearance, no audit entry.
    expect((await cli(['status', '--json'])).stdout).toMatch(/"pending": \[\]/);
  });

  it('a failure exits 1 with the cause and the fix', async () => {
    sb = new Sandbox({ config: resendConfig() });
    api.answer({ status: 403, body: { statusCode: 403, name: 'invalid_api_key', message: 'API key is invalid.' } });
    const res = await cli(['email', 'test']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/theguard: Resend refused the API key in \$RESEND_API_KEY \(HTTP 403 invalid_api_key: API key is invalid\.\); nothing was delivered\nFix: .*api-keys/);
    expect(res.stderr).not.toContain('re_test_key_123456');
  });

  it('a missing key is named before anything is sent', async () => {
    sb = new Sandbox({ config: resendConfig() });
    api.answer({ status: 200, body: { id: 'x' } });
    const res = await sb.cli(['email', 'test'], { env: { NODE_EXTRA_CA_CERTS: pki.caPath } });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/the Resend API key is missing: the environment variable RESEND_API_KEY is not set\nFix: export RESEND_API_KEY/);
    expect(api.requests).toHaveLength(0);
  });

  it('the file outbox works too, and is called insecure', async () => {
    sb = new Sandbox();
    const res = await sb.cli(['email', 'test']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/INSECURE/);
    expect(sb.mails()).toHaveLength(1);
    expect(sb.mails()[0]).toMatch(/Subject: theguard: test message \(no code\)/);
  });
});

describe('theguard doctor: key scope', () => {
  it('warns about a full-access Resend key with the exact fix, and still exits 0', async () => {
    sb = new Sandbox({ config: resendConfig() });
    api.answer({ status: 200, body: { data: [] } });
    const res = await cli(['doctor']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/\[WARN\] the Resend key has full access: whoever holds it can read sent emails back/);
    expect(res.stdout).toMatch(/Fix: create a Resend key with sending_access/);
    expect(api.last.method).toBe('GET');
  });

  it('a refused key fails doctor (exit 1)', async () => {
    sb = new Sandbox({ config: resendConfig() });
    api.answer({ status: 403, body: { statusCode: 403, name: 'invalid_api_key', message: 'API key is invalid.' } });
    const res = await cli(['doctor', '--json']);
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout).results).toContainEqual(expect.objectContaining({ check: 'key-scope', status: 'fail', title: 'Resend refused the API key' }));
  });
});

describe('email settings: every mistake names the key and the fix', () => {
  async function problems(email: Record<string, unknown>): Promise<string> {
    sb = new Sandbox({ config: { email } });
    const res = await sb.cli(['config', 'check']);
    expect(res.code).toBe(1);
    return res.stderr;
  }

  it('a key setting without a provider: codes would silently go to the insecure outbox', async () => {
    const err = await problems({ apiKeyEnv: 'RESEND_API_KEY', to: 'jane@example.com' });
    expect(err).toMatch(/email\.apiKeyEnv is set, but email\.provider is "file" \(the default\), which does not use it\. Fix: set email\.provider to "resend" or "postmark" or "sendgrid" or "mailgun", or remove email\.apiKeyEnv\./);
  });

  it('a real provider needs from and to', async () => {
    const err = await problems({ provider: 'sendgrid' });
    expect(err).toMatch(/email\.to is required for provider "sendgrid"/);
    expect(err).toMatch(/email\.from is required for provider "sendgrid"\. Fix: set email\.from to an address on a domain your provider has verified/);
  });

  it('plain http to another host is refused; credentials in the URL too', async () => {
    let err = await problems({ provider: 'resend', to: 'a@example.com', from: 'b@example.com', endpoint: 'http://mail.example.com' });
    expect(err).toMatch(/email\.endpoint uses plain http: to a host that is not this machine/);
    err = await problems({ provider: 'resend', to: 'a@example.com', from: 'b@example.com', endpoint: 'https://user:secret@proxy.example.com' });
    expect(err).toMatch(/email\.endpoint must not carry a user name or password/);
    expect(err).not.toContain('secret@');
  });

  it('mailgun needs a domain; region belongs to mailgun only', async () => {
    let err = await problems({ provider: 'mailgun', to: 'a@example.com', from: 'b@example.com' });
    expect(err).toMatch(/email\.domain is required for provider "mailgun"\. Fix: set it to your Mailgun sending domain/);
    err = await problems({ provider: 'resend', to: 'a@example.com', from: 'b@example.com', region: 'eu' });
    expect(err).toMatch(/email\.region is set, but email\.provider is "resend", which does not use it\. Fix: set email\.provider to "mailgun"/);
    err = await problems({ provider: 'mailgun', to: 'a@example.com', from: 'b@example.com', domain: 'mg.example.com', region: 'asia' });
    expect(err).toMatch(/email\.region must be one of "us", "eu" \(it is "asia"\)/);
  });

  it('smtp needs its settings; a password in the config is refused and never echoed', async () => {
    let err = await problems({ provider: 'smtp', to: 'a@example.com', from: 'b@example.com' });
    expect(err).toMatch(/email\.smtp is required for provider "smtp"/);
    err = await problems({ provider: 'smtp', to: 'a@example.com', from: 'b@example.com', smtp: { host: 'smtp.example.com', username: 'u', password: 'hunter2' } });
    expect(err).toMatch(/email\.smtp\.password: passwords never live in project config.*email\.smtp\.passwordEnv/s);
    expect(err).not.toContain('hunter2');
    err = await problems({ provider: 'smtp', to: 'a@example.com', from: 'b@example.com', smtp: { host: 'smtp.example.com', security: 'none' } });
    expect(err).toMatch(/email\.smtp\.security must be one of "tls", "starttls" \(it is "none"\)/);
  });

  it('a password file inside the project is refused', async () => {
    sb = new Sandbox();
    writeFileSync(join(sb.repo, '.theguard.json'), JSON.stringify({ email: { provider: 'smtp', to: 'a@example.com', from: 'b@example.com', smtp: { host: 'smtp.example.com', username: 'u', passwordFile: join(sb.repo, 'pw.txt') } } }));
    const res = await sb.cli(['config', 'check']);
    expect(res.stderr).toMatch(/email\.smtp\.passwordFile is inside the project .* Fix: move the password file outside/);
  });

  it('the key in one place only', async () => {
    const err = await problems({ provider: 'resend', to: 'a@example.com', from: 'b@example.com', apiKeyEnv: 'K', apiKeyFile: '/etc/theguard/key' });
    expect(err).toMatch(/email\.apiKeyEnv and email\.apiKeyFile are both set\. Fix: keep one/);
  });

  it('timeoutSeconds is bounded so hooks stay inside their callers\' timeouts', async () => {
    const err = await problems({ timeoutSeconds: 120 });
    expect(err).toMatch(/email\.timeoutSeconds must be at most 30 \(it is 120\)/);
  });

  it('a valid smtp config resolves its defaults: port by security, the default password variable', async () => {
    sb = new Sandbox({ config: { email: { provider: 'smtp', to: 'a@example.com', from: 'b@example.com', smtp: { host: 'smtp.example.com', security: 'tls', username: 'u' } } } });
    const res = await sb.cli(['config', 'check', '--json']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).config.email.smtp).toEqual({ host: 'smtp.example.com', port: 465, security: 'tls', username: 'u', passwordEnv: 'THEGUARD_SMTP_PASSWORD' });
  });
});
