import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMailbox } from '../src/core/delivery/address.js';
import { createDelivery } from '../src/core/delivery/index.js';
import { epochResetMs, retryAfterMs } from '../src/core/delivery/retry.js';
import { readSecret } from '../src/core/delivery/secret.js';
import { ProviderKit, codeMessage, failure } from './helpers/provider-kit.js';

/** What every HTTPS provider shares: TLS verification, network failures, endpoints, keys, Retry-After. */
let kit: ProviderKit;
beforeAll(async () => {
  kit = await ProviderKit.start('resend');
});
afterAll(() => kit?.stop());

describe('TLS and the network', () => {
  it('refuses a server whose certificate it does not trust, before sending anything', async () => {
    kit.api.answer({ status: 200, body: { id: 'never' } });
    const untrusting = createDelivery(kit.email({ provider: 'resend' }));
    const err = await failure(untrusting.send(codeMessage()));
    expect(err.message).toMatch(/^the TLS certificate of 127\.0\.0\.1:\d+ could not be verified \([A-Z_]+\); nothing was sent$/);
    expect(err.fix).toMatch(/NODE_EXTRA_CA_CERTS/);
    expect(kit.api.requests).toHaveLength(0);
  });

  it('still refuses it when the caller\'s environment says NODE_TLS_REJECT_UNAUTHORIZED=0', async () => {
    // The hooks inherit the agent's environment (`NODE_TLS_REJECT_UNAUTHORIZED=0 git push`).
    kit.api.answer({ status: 200, body: { id: 'never' } });
    const before = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    try {
      const err = await failure(createDelivery(kit.email({ provider: 'resend' })).send(codeMessage()));
      expect(err.message).toMatch(/^the TLS certificate of 127\.0\.0\.1:\d+ could not be verified/);
    } finally {
      if (before === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = before;
    }
    expect(kit.api.requests).toHaveLength(0);
  });

  it('names a DNS failure', async () => {
    const err = await failure(kit.delivery({ provider: 'resend', endpoint: 'https://theguard-test.invalid' }).send(codeMessage()));
    expect(err.message).toMatch(/^cannot resolve theguard-test\.invalid: DNS lookup failed \((ENOTFOUND|EAI_AGAIN|EAI_FAIL|EAI_NONAME)\)$/);
    expect(err.fix).toMatch(/DNS/);
  });

  it('names a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const err = await failure(kit.delivery({ provider: 'sendgrid', endpoint: `https://127.0.0.1:${port}` }).send(codeMessage()));
    expect(err.message).toBe(`cannot reach SendGrid at 127.0.0.1:${port} (ECONNREFUSED)`);
  });

  it('speaks plain http to a loopback endpoint (a local proxy or test server)', async () => {
    const seen: string[] = [];
    const plain = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id: 'plain-ok' }));
    });
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
    try {
      const d = kit.delivery({ provider: 'resend', endpoint: `http://127.0.0.1:${(plain.address() as AddressInfo).port}` });
      expect((await d.send(codeMessage())).id).toBe('plain-ok');
      expect(seen).toEqual(['POST /emails']);
    } finally {
      await new Promise((r) => plain.close(r));
    }
  });

  it('the core refuses http to another host even when the config check was skipped (library callers)', async () => {
    const email = { ...kit.email({ provider: 'resend' }), endpoint: 'http://mail.example.com' };
    const err = await failure(createDelivery(email, { ca: kit.pki.ca }).send(codeMessage()));
    expect(err.kind).toBe('config');
    expect(err.message).toMatch(/is not https/);
  });
});

describe('the key is read at send time, from exactly the place the config names', () => {
  it('a missing variable names the variable and both ways to fix it', async () => {
    delete process.env.THEGUARD_TEST_ABSENT_KEY;
    const d = kit.delivery({ provider: 'postmark', apiKeyFile: undefined, apiKeyEnv: 'THEGUARD_TEST_ABSENT_KEY' });
    const err = await failure(d.send(codeMessage()));
    expect(err.message).toBe('the Postmark API key is missing: the environment variable THEGUARD_TEST_ABSENT_KEY is not set');
    expect(err.fix).toMatch(/export THEGUARD_TEST_ABSENT_KEY.*email\.apiKeyFile/);
  });

  it('with no key setting, each provider looks in its own default variable', () => {
    expect(kit.email({ provider: 'resend', apiKeyFile: undefined }).apiKeyEnv).toBe('RESEND_API_KEY');
    expect(kit.email({ provider: 'postmark', apiKeyFile: undefined }).apiKeyEnv).toBe('POSTMARK_SERVER_TOKEN');
    expect(kit.email({ provider: 'sendgrid', apiKeyFile: undefined }).apiKeyEnv).toBe('SENDGRID_API_KEY');
    expect(kit.email({ provider: 'mailgun', domain: 'mg.example.com', apiKeyFile: undefined }).apiKeyEnv).toBe('MAILGUN_API_KEY');
  });

  it('a missing, empty or multi-line key file is named, never sent', () => {
    const src = { what: 'the Resend API key', envKey: 'email.apiKeyEnv', fileKey: 'email.apiKeyFile' };
    const f = join(kit.sb.base, 'keys', 'odd.key');
    expect(() => readSecret({ ...src, file: `${f}.absent` })).toThrow(/the Resend API key file .*odd\.key\.absent does not exist/);
    writeFileSync(f, '  \n');
    expect(() => readSecret({ ...src, file: f })).toThrow(/odd\.key is empty/);
    writeFileSync(f, 're_first\nX-Injected: yes\n');
    expect(() => readSecret({ ...src, file: f })).toThrow(/contains a line break/);
    writeFileSync(f, '  re_good_key \n');
    expect(readSecret({ ...src, file: f })).toBe('re_good_key');
  });

  it('the key never appears in what the delivery describes', () => {
    expect(kit.delivery({ provider: 'resend' }).describe()).not.toContain(kit.key);
    expect(kit.delivery({ provider: 'resend' }).describe()).toContain(kit.keyFile);
  });
});

describe('small pieces', () => {
  it('Retry-After is read as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });

  it('X-RateLimit-Reset (SendGrid) is read as Unix epoch seconds', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(epochResetMs(String(now / 1000 + 3), now)).toBe(3000);
    expect(epochResetMs(String(now / 1000 - 10), now)).toBe(0);
    expect(epochResetMs('soon', now)).toBeUndefined();
    expect(epochResetMs(undefined, now)).toBeUndefined();
  });

  it('mailboxes: a bare address, or a name and an address; nothing that could smuggle a command', () => {
    expect(parseMailbox('jane@example.com')).toEqual({ address: 'jane@example.com' });
    expect(parseMailbox('theguard <guard@example.com>')).toEqual({ address: 'guard@example.com', name: 'theguard' });
    expect(parseMailbox('"Jane D" <jane@example.com>')).toEqual({ address: 'jane@example.com', name: 'Jane D' });
    expect(parseMailbox('jane@example.com>\r\nRCPT TO:<evil@example.com')).toBeNull();
    expect(parseMailbox('a b@example.com')).toBeNull();
    expect(parseMailbox('nobody')).toBeNull();
  });
});
