import { mkdirSync, writeFileSync } from 'node:fs';
import { type Server, type Socket, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDelivery } from '../src/core/delivery/index.js';
import type { Message } from '../src/core/delivery/port.js';
import { dotStuff } from '../src/core/delivery/smtp.js';
import { validateConfig } from '../src/config/load.js';
import { FakeSmtp, type FakeSmtpOptions } from './helpers/fake-smtp.js';
import { CODE, codeMessage, failure } from './helpers/provider-kit.js';
import { Sandbox } from './helpers/sandbox.js';
import { type TestPki, makePki } from './helpers/tls.js';

/**
 * The SMTP client against a real SMTP server on loopback (smtp-server): STARTTLS and
 * implicit TLS with a verified certificate, AUTH PLAIN and LOGIN, a refused login and
 * recipient, a server without STARTTLS, dot-stuffing, a silent server, and the
 * STARTTLS response-injection flaw.
 */
let pki: TestPki;
let sb: Sandbox;
let passwordFile: string;
const servers: { close(): Promise<void> | void }[] = [];
const PASSWORD = 'correct horse battery staple';

beforeAll(() => {
  pki = makePki();
  sb = new Sandbox({ git: false });
  mkdirSync(join(sb.base, 'keys'), { mode: 0o700 });
  passwordFile = join(sb.base, 'keys', 'smtp.pass');
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
});
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});
afterAll(() => {
  pki?.cleanup();
  sb?.cleanup();
});

async function server(o: FakeSmtpOptions): Promise<FakeSmtp> {
  const s = await FakeSmtp.start(pki, o);
  servers.push(s);
  return s;
}

function smtp(port: number, smtpConfig: Record<string, unknown> = {}, opts: { trust?: boolean; timeoutSeconds?: number } = {}) {
  const email = validateConfig({
    email: { provider: 'smtp', to: 'jane@example.com', from: 'theguard <guard@example.com>', timeoutSeconds: opts.timeoutSeconds ?? 10,
      smtp: { host: '127.0.0.1', port, security: 'starttls', username: 'guard', passwordFile, ...smtpConfig } },
  }, { root: sb.repo, env: sb.env, file: null }).email;
  return createDelivery(email, opts.trust === false ? {} : { ca: pki.ca });
}

describe('smtp: delivering', () => {
  it('STARTTLS then AUTH PLAIN: the login and the mail travel only after TLS; the code arrives', async () => {
    const s = await server({ username: 'guard', password: PASSWORD });
    const receipt = await smtp(s.port).send(codeMessage());
    expect(receipt.response).toMatch(/^250 .*queued as 4Fq1Xb2ZkQz/);
    expect(receipt.id).toBe('4Fq1Xb2ZkQz');
    const [session] = s.sessions;
    expect(session?.auth).toEqual({ method: 'PLAIN', username: 'guard', password: PASSWORD, secure: true });
    expect(session?.mailFrom).toEqual({ address: 'guard@example.com', secure: true });
    expect(session?.rcptTo).toEqual(['jane@example.com']);
    expect(session?.data).toMatch(/^From: theguard <guard@example\.com>\r\nTo: jane@example\.com\r\nSubject: theguard: approve push to main\r\n/);
    expect(session?.data).toContain(`Your theguard code: ${CODE}`);
  });

  it('implicit TLS (port 465 style) with AUTH LOGIN when that is all the server offers', async () => {
    const s = await server({ implicitTls: true, authMethods: ['LOGIN'], username: 'guard', password: PASSWORD });
    await smtp(s.port, { security: 'tls' }).send(codeMessage());
    expect(s.sessions[0]?.auth).toEqual({ method: 'LOGIN', username: 'guard', password: PASSWORD, secure: true });
    expect(s.sessions[0]?.data).toContain(CODE);
  });

  it('a server that needs no login: no AUTH, still only over TLS', async () => {
    const s = await server({});
    await smtp(s.port, { username: undefined, passwordFile: undefined }).send(codeMessage());
    expect(s.sessions[0]?.auth).toBeUndefined();
    expect(s.sessions[0]?.mailFrom?.secure).toBe(true);
  });

  it('dot-stuffing: lines that start with a dot, even a lone dot, arrive intact and do not end the message early', async () => {
    const s = await server({ username: 'guard', password: PASSWORD });
    const m: Message = { ...codeMessage(), text: `Your theguard code: ${CODE}\n.\n..two dots\n.hidden\nlast line` };
    await smtp(s.port).send(m);
    expect(s.sessions[0]?.data).toContain(`Your theguard code: ${CODE}\r\n.\r\n..two dots\r\n.hidden\r\nlast line`);
    expect(s.sessions[0]?.data).toMatch(/--\r\n$/);
  });

  it('dotStuff doubles leading dots, normalises line ends and appends the end marker', () => {
    expect(dotStuff('a\n.\r\n..b\rc\r\n')).toBe('a\r\n..\r\n...b\r\nc\r\n.');
  });
});

describe('smtp: every refusal names its cause and the fix', () => {
  it('a wrong password: the login was refused (535), nothing sent', async () => {
    const s = await server({ username: 'guard', password: 'something else' });
    const err = await failure(smtp(s.port).send(codeMessage()));
    expect(err.message).toMatch(/^the SMTP server refused the login \(535 5\.7\.8 Authentication credentials invalid\); nothing was delivered$/);
    expect(err.fix).toMatch(/email\.smtp\.username/);
    expect(s.sessions[0]?.mailFrom).toBeUndefined();
    expect(err.message).not.toContain(PASSWORD);
  });

  it('a rejected recipient: named with the server\'s words', async () => {
    const s = await server({ username: 'guard', password: PASSWORD, rejectRecipients: ['jane@example.com'] });
    const err = await failure(smtp(s.port).send(codeMessage()));
    expect(err.message).toMatch(/^the SMTP server refused the recipient \(550 5\.1\.1 <jane@example\.com>: Recipient address rejected: User unknown\)/);
    expect(err.fix).toMatch(/email\.to/);
    expect(s.sessions[0]?.data).toBeUndefined();
  });

  it('a refused sender (553 at MAIL FROM): named with the server\'s words and the fix; no recipient, no message', async () => {
    const s = await server({ username: 'guard', password: PASSWORD, rejectSenders: ['guard@example.com'] });
    const err = await failure(smtp(s.port).send(codeMessage()));
    expect(err.message).toBe('the SMTP server refused the sender (553 5.7.1 <guard@example.com>: Sender address rejected: not owned by user guard); nothing was delivered');
    expect(err.fix).toMatch(/email\.from/);
    expect(s.sessions[0]?.mailFrom?.address).toBe('guard@example.com');
    expect(s.sessions[0]?.rcptTo).toEqual([]);
    expect(s.sessions[0]?.data).toBeUndefined();
  });

  it.each(['starttls', 'tls'])('a certificate for another host name over %s: refused before the login or the message', async (security) => {
    // Trusted CA, valid certificate, but for mail.example.net, not the 127.0.0.1 dialled.
    const other = makePki('theguard-other', 'DNS:mail.example.net');
    try {
      const s = await FakeSmtp.start(other, { implicitTls: security === 'tls', username: 'guard', password: PASSWORD });
      servers.push(s);
      const email = validateConfig({ email: { provider: 'smtp', to: 'jane@example.com', from: 'theguard <guard@example.com>',
        smtp: { host: '127.0.0.1', port: s.port, security, username: 'guard', passwordFile } } }, { root: sb.repo, env: sb.env, file: null }).email;
      const err = await failure(createDelivery(email, { ca: other.ca }).send(codeMessage()));
      expect(err.message).toMatch(/^the TLS certificate of 127\.0\.0\.1:\d+ could not be verified \(ERR_TLS_CERT_ALTNAME_INVALID\); nothing was sent$/);
      expect(s.sessions.every((x) => x.auth === undefined && x.mailFrom === undefined && x.data === undefined)).toBe(true);
    } finally {
      other.cleanup();
    }
  });

  it('no STARTTLS on offer: refuses to send the password or the code in plaintext', async () => {
    const s = await server({ hideStartTls: true, username: 'guard', password: PASSWORD });
    const err = await failure(smtp(s.port).send(codeMessage()));
    expect(err.message).toMatch(/does not offer STARTTLS; theguard will not send a code or a password unencrypted, so nothing was sent/);
    expect(err.fix).toMatch(/security "tls"/);
    expect(s.sessions.every((x) => x.auth === undefined && x.mailFrom === undefined && x.data === undefined)).toBe(true);
  });

  it('an untrusted certificate: refused before anything is sent', async () => {
    const s = await server({ username: 'guard', password: PASSWORD });
    const err = await failure(smtp(s.port, {}, { trust: false }).send(codeMessage()));
    expect(err.message).toMatch(/^the TLS certificate of 127\.0\.0\.1:\d+ could not be verified/);
    expect(s.sessions.every((x) => x.auth === undefined)).toBe(true);
  });

  it.each(['starttls', 'tls'])('an untrusted certificate over %s is refused even with NODE_TLS_REJECT_UNAUTHORIZED=0', async (security) => {
    const s = await server({ implicitTls: security === 'tls', username: 'guard', password: PASSWORD });
    const before = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    try {
      const err = await failure(smtp(s.port, { security }, { trust: false }).send(codeMessage()));
      expect(err.message).toMatch(/^the TLS certificate of 127\.0\.0\.1:\d+ could not be verified/);
    } finally {
      if (before === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = before;
    }
    expect(s.sessions.every((x) => x.auth === undefined && x.data === undefined)).toBe(true);
  });

  it('a missing password names the variable it looked in', async () => {
    const s = await server({ username: 'guard', password: PASSWORD });
    delete process.env.THEGUARD_SMTP_PASSWORD;
    const err = await failure(smtp(s.port, { passwordFile: undefined }).send(codeMessage()));
    expect(err.message).toBe('the SMTP password is missing: the environment variable THEGUARD_SMTP_PASSWORD is not set');
    expect(err.fix).toMatch(/email\.smtp\.passwordFile/);
  });
});

/** A hand-written server for behaviour no well-behaved server shows. */
async function rawServer(onConnect: (socket: Socket) => void): Promise<number> {
  const srv: Server = createServer(onConnect);
  const sockets = new Set<Socket>();
  srv.on('connection', (s) => sockets.add(s));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  servers.push({ close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); srv.close(() => r()); }) });
  return (srv.address() as AddressInfo).port;
}

describe('smtp: servers that misbehave', () => {
  it('a server that never greets: a timeout naming the limit', async () => {
    const port = await rawServer(() => undefined);
    const err = await failure(smtp(port, {}, { timeoutSeconds: 1 }).send(codeMessage()));
    expect(err.message).toMatch(/^no answer from the SMTP server \(127\.0\.0\.1:\d+\) within 1 s, the delivery time limit/);
  });

  it('STARTTLS response injection (extra replies before the handshake) is refused', async () => {
    const port = await rawServer((socket) => {
      socket.write('220 fake ESMTP\r\n');
      socket.on('data', (d: Buffer) => {
        const line = d.toString();
        if (line.startsWith('EHLO')) socket.write('250-fake\r\n250 STARTTLS\r\n');
        else if (line.startsWith('STARTTLS')) socket.write('220 go ahead\r\n250 injected\r\n');
      });
    });
    const err = await failure(smtp(port).send(codeMessage()));
    expect(err.message).toMatch(/sent data right after STARTTLS; nothing was sent/);
  });

  it('something that is not an SMTP server', async () => {
    const port = await rawServer((socket) => socket.write('HTTP/1.1 400 Bad Request\r\n\r\n'));
    const err = await failure(smtp(port).send(codeMessage()));
    expect(err.message).toMatch(/does not speak SMTP/);
  });
});

describe('smtp: doctor', () => {
  it('logs in over TLS without sending mail', async () => {
    const s = await server({ username: 'guard', password: PASSWORD });
    const f = await smtp(s.port).probeKeyScope?.();
    expect(f).toMatchObject({ status: 'ok', title: expect.stringMatching(/SMTP login works over TLS/) });
    expect(s.sessions[0]?.auth?.secure).toBe(true);
    expect(s.sessions[0]?.mailFrom).toBeUndefined();
  });

  it('a refused login fails the check', async () => {
    const s = await server({ username: 'guard', password: 'other' });
    expect(await smtp(s.port).probeKeyScope?.()).toMatchObject({ status: 'fail', title: 'the SMTP login test failed' });
  });
});
