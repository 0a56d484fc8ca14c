import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeApi, type Recorded } from './helpers/fake-api.js';
import { FakeSmtp } from './helpers/fake-smtp.js';
import { callHook } from './helpers/hook.js';
import { filesUnder as files } from './helpers/leaks.js';
import { PROVIDER_API, formFields } from './helpers/provider-api.js';
import { type RunResult, Sandbox, codeIn, wrongCode } from './helpers/sandbox.js';
import { type TestPki, makePki } from './helpers/tls.js';

/**
 * For every provider, through the real CLI: the code reaches the delivery (as the fake
 * provider received it) and nothing else the process wrote: not stdout, not stderr,
 * not the state dir, not the audit log, not any file under the project, config or home.
 * The child processes trust the test CA through NODE_EXTRA_CA_CERTS, as a proxy's CA would be.
 */
let pki: TestPki;
let api: FakeApi;
let sb: Sandbox;
beforeAll(async () => {
  pki = makePki();
  api = await FakeApi.start(pki);
});
afterAll(async () => {
  await api?.close();
  pki?.cleanup();
});
afterEach(() => sb?.cleanup());

const KEY = 'leak-test-key-0123456789';


/** Request, a wrong guess, status, verify, the approved run, audit: every output, then the code as delivered. */
async function flow(env: NodeJS.ProcessEnv, delivered: () => string): Promise<void> {
  const outputs: RunResult[] = [];
  const cli = async (args: string[], input?: string) => {
    const r = await sb.cli(args, { env, ...(input === undefined ? {} : { input }) });
    outputs.push(r);
    return r;
  };
  const argv = ['exec', '--tier', 'push', '--', 'sh', '-c', 'echo ran > ran.txt'];
  const first = await cli(argv);
  expect(first.code, first.stderr).toBe(3);
  const code = codeIn(delivered());
  if (!code) throw new Error('no code reached the fake provider');
  await cli(argv); // a retry while pending
  await cli(['verify'], `${wrongCode(code)}\n`);
  await cli(['status']);
  await cli(['status', '--json']);
  expect((await cli(['verify'], `${code}\n`)).code).toBe(0);
  expect((await cli(argv)).code).toBe(0);
  await cli(['audit', '--json']);
  await cli(['doctor']);
  expect(readFileSync(join(sb.repo, 'ran.txt'), 'utf8')).toBe('ran\n');

  const re = new RegExp(`(?<!\\d)${code}(?!\\d)`);
  outputs.forEach((o, i) => {
    expect(o.stdout, `stdout of command ${i}`).not.toMatch(re);
    expect(o.stderr, `stderr of command ${i}`).not.toMatch(re);
  });
  const holders = [...files(sb.repo), ...files(join(sb.base, 'config')), ...files(join(sb.base, 'home')), ...files(join(sb.base, 'state'))]
    .filter((f) => re.test(f.text))
    .map((f) => f.path);
  expect(holders).toEqual([]);
  expect(readFileSync(join(sb.stateDir, 'audit.jsonl'), 'utf8')).toMatch(/"event":"delivered"/);
}

/** Each provider's success, where its request carries the text part, and an error body that echoes the request, at a status it documents for a refused message. */
const API_CASES = [
  { provider: 'resend', env: 'RESEND_API_KEY', ok: { status: 200, body: { id: 'r-1' } }, text: (r: Recorded) => JSON.parse(r.body).text as string,
    refused: 422, echo: (r: Recorded) => ({ statusCode: 422, name: 'validation_error', message: r.body }) },
  { provider: 'postmark', env: 'POSTMARK_SERVER_TOKEN', ok: { status: 200, body: { MessageID: 'p-1', ErrorCode: 0, Message: 'OK' } }, text: (r: Recorded) => JSON.parse(r.body).TextBody as string,
    refused: 422, echo: (r: Recorded) => ({ ErrorCode: 300, Message: r.body }) },
  // SendGrid and Mailgun document no 422: a message they refuse is a 400.
  { provider: 'sendgrid', env: 'SENDGRID_API_KEY', ok: { status: 202, headers: { 'X-Message-Id': 's-1' } }, text: (r: Recorded) => JSON.parse(r.body).content[0].value as string,
    refused: 400, echo: (r: Recorded) => ({ errors: [{ message: r.body, field: null }] }) },
  { provider: 'mailgun', env: 'MAILGUN_API_KEY', ok: { status: 200, body: { id: '<m-1@mg.example.com>', message: 'Queued. Thank you.' } }, text: (r: Recorded) => formFields(r).get('text') ?? '',
    refused: 400, echo: (r: Recorded) => ({ message: formFields(r).get('text') ?? '' }) },
] as const;

describe.each(API_CASES)('$provider: the code goes to the provider and nowhere else', (c) => {
  it('across request, wrong guess, status, verify, run, audit and doctor', async () => {
    sb = new Sandbox({ config: { email: { provider: c.provider, to: 'jane@example.com', from: 'theguard <guard@example.com>', endpoint: api.url, ...(c.provider === 'mailgun' ? { domain: 'mg.example.com' } : {}) } } });
    api.expect(PROVIDER_API[c.provider]({ key: KEY, domain: 'mg.example.com' })).answer(c.ok);
    await flow({ NODE_EXTRA_CA_CERTS: pki.caPath, [c.env]: KEY }, () => {
      const sends = api.requests.filter((r) => r.method === 'POST');
      expect(sends).toHaveLength(1);
      return c.text(sends[0] as Recorded);
    });
    expect(api.problems).toEqual([]);
  });

  it('a failed delivery: exit 1 with the cause, the request revoked, the echoed code in no output or log', async () => {
    sb = new Sandbox({ config: { email: { provider: c.provider, to: 'jane@example.com', from: 'theguard <guard@example.com>', endpoint: api.url, ...(c.provider === 'mailgun' ? { domain: 'mg.example.com' } : {}) } } });
    // The worst case: the provider echoes the whole request, code included, in its error message.
    api.expect(PROVIDER_API[c.provider]({ key: KEY, domain: 'mg.example.com' })).answer({ status: c.refused, body: (req) => c.echo(req) });
    const env = { NODE_EXTRA_CA_CERTS: pki.caPath, [c.env]: KEY };
    const res = await sb.cli(['exec', '--', 'sh', '-c', 'echo ran > ran.txt'], { env });
    expect(res.code).toBe(1);
    expect(api.problems).toEqual([]);
    const code = codeIn(c.text(api.last));
    expect(code).toMatch(/^\d{6}$/);
    expect(res.stderr).toMatch(new RegExp(`rejected the message \\(HTTP ${c.refused} .*\\[redacted\\]`));
    expect(res.stderr).not.toContain(code as string);
    expect(res.stderr).not.toContain(KEY);
    const audit = readFileSync(join(sb.stateDir, 'audit.jsonl'), 'utf8');
    expect(audit).toMatch(/"event":"delivery_failed"/);
    expect(audit).toMatch(/"event":"revoked"/);
    expect(audit).not.toContain(code as string);
    const status = await sb.cli(['status', '--json'], { env });
    expect(JSON.parse(status.stdout).pending).toEqual([]);
  });
});

describe('smtp: a failed delivery through the guard fails closed', () => {
  const smtpConfig = (port: number) => ({ email: { provider: 'smtp', to: 'jane@example.com', from: 'theguard <guard@example.com>', smtp: { host: '127.0.0.1', port, security: 'starttls', username: 'guard' } } });
  const auditOf = () => readFileSync(join(sb.stateDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string; detail?: string });

  it('theguard exec: a refused recipient exits 1 with the cause, audits delivery_failed, revokes the request; nothing ran', async () => {
    const smtp = await FakeSmtp.start(pki, { username: 'guard', password: 'smtp-pass-0123', rejectRecipients: ['jane@example.com'] });
    try {
      sb = new Sandbox({ config: smtpConfig(smtp.port) });
      const env = { NODE_EXTRA_CA_CERTS: pki.caPath, THEGUARD_SMTP_PASSWORD: 'smtp-pass-0123' };
      const res = await sb.cli(['exec', '--', 'sh', '-c', 'echo ran > ran.txt'], { env });
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/the SMTP server refused the recipient \(550 5\.1\.1 <jane@example\.com>: Recipient address rejected: User unknown\); nothing was delivered/);
      expect(res.stderr).not.toContain('smtp-pass-0123');
      const audit = auditOf();
      expect(audit.map((e) => e.event)).toEqual(['requested', 'delivery_failed', 'revoked']);
      expect(audit[1]?.detail).toMatch(/^via smtp: the SMTP server refused the recipient \(550/);
      expect(JSON.parse((await sb.cli(['status', '--json'], { env })).stdout).pending).toEqual([]);
      expect(smtp.sessions.every((x) => x.data === undefined)).toBe(true);
      expect(() => readFileSync(join(sb.repo, 'ran.txt'))).toThrow();
    } finally {
      await smtp.close();
    }
  });

  it('the Claude Code hook: a refused login denies the call with the cause, audits delivery_failed, revokes the request', async () => {
    const smtp = await FakeSmtp.start(pki, { username: 'guard', password: 'the-right-one' });
    try {
      sb = new Sandbox({ config: smtpConfig(smtp.port) });
      const env = { NODE_EXTRA_CA_CERTS: pki.caPath, THEGUARD_SMTP_PASSWORD: 'a-wrong-password' };
      const res = await callHook(sb, 'Bash', { command: 'terraform destroy -auto-approve' }, { env });
      expect(res.code).toBe(0);
      expect(res.denied).toMatch(/theguard could not send the approval code \(the SMTP server refused the login \(535 5\.7\.8 Authentication credentials invalid\); nothing was delivered\nFix: check email\.smtp\.username[^\n]*\), so the call stays blocked/);
      expect(res.denied).not.toContain('a-wrong-password');
      const audit = auditOf();
      expect(audit.map((e) => e.event)).toEqual(['requested', 'delivery_failed', 'revoked']);
      expect(audit[1]?.detail).toMatch(/^via smtp: the SMTP server refused the login \(535/);
      expect(JSON.parse((await sb.cli(['status', '--json'], { env })).stdout).pending).toEqual([]);
      expect(smtp.sessions.every((x) => x.mailFrom === undefined)).toBe(true);
    } finally {
      await smtp.close();
    }
  });
});

describe('smtp: the code goes to the SMTP server and nowhere else', () => {
  it('across request, wrong guess, status, verify, run, audit and doctor', async () => {
    const smtp = await FakeSmtp.start(pki, { username: 'guard', password: 'smtp-pass-0123' });
    try {
      sb = new Sandbox({ config: { email: { provider: 'smtp', to: 'jane@example.com', from: 'theguard <guard@example.com>', smtp: { host: '127.0.0.1', port: smtp.port, security: 'starttls', username: 'guard' } } } });
      await flow({ NODE_EXTRA_CA_CERTS: pki.caPath, THEGUARD_SMTP_PASSWORD: 'smtp-pass-0123' }, () => {
        const mails = smtp.sessions.filter((s) => s.data);
        expect(mails).toHaveLength(1);
        return mails[0]?.data ?? '';
      });
    } finally {
      await smtp.close();
    }
  });
});
