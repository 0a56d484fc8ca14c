import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GuardError } from '../src/core/errors.js';
import type { Delivery, Message } from '../src/core/delivery/port.js';
import { deleteOp, guardIn, pushOp } from './helpers/guard.js';
import { Sandbox, codeIn, wrongCode } from './helpers/sandbox.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const events = (g: ReturnType<typeof guardIn>) => g.audit.read().map((e) => e.event);

describe('requesting a clearance', () => {
  it('stores only a verifier, in a private git-ignored state dir, and delivers the code', async () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    const r = await g.request(pushOp());
    expect(r.status).toBe('sent');
    const code = sb.lastCode();
    expect(statSync(sb.stateDir).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(sb.stateDir, '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    const pending = readdirSync(join(sb.stateDir, 'pending'));
    expect(pending).toHaveLength(1);
    const file = join(sb.stateDir, 'pending', pending[0] as string);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = readFileSync(file, 'utf8');
    expect(stored).not.toContain(code);
    expect(JSON.parse(stored)).toMatchObject({ tier: 'push', summary: 'push to main', verifier: { N: 65536, r: 8 } });
    expect(events(g)).toEqual(['requested', 'delivered']);
  });

  it('sends no new code while one is pending for the same operation: it points to the pending one', async () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    const first = await g.request(pushOp());
    const again = await g.request(pushOp());
    expect(again.status).toBe('pending');
    if (first.status !== 'sent' || again.status !== 'pending') throw new Error('unexpected');
    expect(again.clearance.id).toBe(first.clearance.id);
    expect(sb.mails()).toHaveLength(1);
  });

  it('shows details to the human without fingerprinting them, stripped of terminal escapes', async () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    const r = await g.request(pushOp(), { details: 'Commits:\n  abc123 fix \u001b[2J\u001b[Hthings\n', reason: 'ship\nit' });
    if (r.status !== 'sent') throw new Error('unexpected');
    expect(r.clearance.details).toBe('Commits:\n  abc123 fix [2J[Hthings\n');
    expect(r.clearance.reason).toBe('ship it');
    expect(sb.mails()[0]).toContain('abc123 fix [2J[Hthings');
    const again = await g.request(pushOp(), { details: 'other details' });
    expect(again.status).toBe('pending');
  });

  it('gives a different operation its own code', async () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    await g.request(pushOp('main'));
    const other = await g.request(pushOp('release/1'));
    expect(other.status).toBe('sent');
    expect(sb.mails()).toHaveLength(2);
  });

  it('resend replaces the pending code: the old one dies, the new one works', async () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    const first = await g.request(pushOp());
    if (first.status !== 'sent') throw new Error('unexpected');
    const oldCode = sb.lastCode();
    const second = await g.resend(first.clearance.id);
    if (second.status !== 'sent') throw new Error(`resend: ${second.status}`);
    const newCode = sb.lastCode();
    expect(second.clearance.id).not.toBe(first.clearance.id);
    expect((await g.verify(oldCode, first.clearance.id)).status).toBe('not_found');
    expect((await g.verify(newCode, second.clearance.id)).status).toBe('granted');
    expect(events(g)).toContain('revoked');
  });

  it('after expiry, a retry gets a fresh code and the expired one is recorded', async () => {
    sb = new Sandbox();
    const g = guardIn(sb, { push: { codeTtlSeconds: 1 } });
    const first = await g.request(pushOp());
    if (first.status !== 'sent') throw new Error('unexpected');
    const code = sb.lastCode();
    await sleep(1100);
    expect((await g.verify(code, first.clearance.id)).status).toBe('expired');
    const second = await g.request(pushOp());
    expect(second.status).toBe('sent');
    expect(sb.mails()).toHaveLength(2);
    expect(events(g)).toContain('expired');
  });
});

describe('verifying and consuming', () => {
  it('a right code grants exactly that operation, once', async () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    const r = await g.request(pushOp());
    if (r.status !== 'sent') throw new Error('unexpected');
    const v = await g.verify(sb.lastCode(), r.clearance.id);
    expect(v.status).toBe('granted');
    expect(g.consume(pushOp('release/1'))).toBe(false);
    expect(g.consume(pushOp('main', { extra: 'x' }))).toBe(false);
    expect(g.consume(pushOp())).toBe(true);
    expect(g.consume(pushOp())).toBe(false);
    expect(events(g)).toEqual(['requested', 'delivered', 'granted', 'consumed']);
  });

  it('verify without an id means the only pending request; with several it asks for one', async () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    await g.request(pushOp('a'));
    const code = sb.lastCode();
    expect((await g.verify(code)).status).toBe('granted');
    await expect(g.verify(code)).rejects.toThrow(/nothing is waiting for approval/);
    await g.request(pushOp('b'));
    await g.request(pushOp('c'));
    await expect(g.verify(sb.lastCode())).rejects.toThrow(/2 requests are pending; say which one/);
  });

  it('a grant expires after grantTtlSeconds', async () => {
    sb = new Sandbox();
    const g = guardIn(sb, { grantTtlSeconds: 1 });
    const r = await g.request(pushOp());
    if (r.status !== 'sent') throw new Error('unexpected');
    expect((await g.verify(sb.lastCode(), r.clearance.id)).status).toBe('granted');
    await sleep(1100);
    expect(g.consume(pushOp())).toBe(false);
    expect(events(g)).toContain('expired');
  });

  it('a request while a grant waits reports the grant instead of sending a code', async () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    const r = await g.request(pushOp());
    if (r.status !== 'sent') throw new Error('unexpected');
    await g.verify(sb.lastCode(), r.clearance.id);
    expect((await g.request(pushOp())).status).toBe('granted');
    expect(sb.mails()).toHaveLength(1);
  });

  it('wrong codes count down; the last one revokes the code and locks the tier', async () => {
    sb = new Sandbox();
    const g = guardIn(sb, { push: { maxAttempts: 3, lockoutSeconds: 60 } });
    const r = await g.request(pushOp());
    if (r.status !== 'sent') throw new Error('unexpected');
    const code = sb.lastCode();
    const left: number[] = [];
    for (let i = 1; i <= 3; i++) {
      const v = await g.verify(wrongCode(code, i), r.clearance.id);
      if (v.status !== 'wrong') throw new Error(v.status);
      left.push(v.attemptsLeft);
    }
    expect(left).toEqual([2, 1, 0]);
    expect((await g.verify(code, r.clearance.id)).status).toBe('not_found');
    expect(g.status().pending).toHaveLength(0);
    const locked = await g.request(pushOp('other'));
    expect(locked.status).toBe('locked');
    expect((await g.request(deleteOp())).status).toBe('sent'); // the lockout is per tier
    expect(events(g)).toContain('locked_out');
  });

  it('a tier lockout refuses even the right code of another pending request in that tier, and uses none of its attempts', async () => {
    sb = new Sandbox();
    const g = guardIn(sb, { push: { maxAttempts: 2, lockoutSeconds: 600 } });
    const a = await g.request(pushOp('main'));
    const codeA = sb.lastCode();
    const b = await g.request(pushOp('release/1'));
    const codeB = sb.lastCode();
    if (a.status !== 'sent' || b.status !== 'sent') throw new Error('unexpected');
    for (const n of [1, 2]) await g.verify(wrongCode(codeA, n), a.clearance.id);
    const lockout = g.status().lockouts[0];
    expect(lockout).toMatchObject({ tier: 'push', cause: `clearance ${a.clearance.id} ran out of attempts` });
    const v = await g.verify(codeB, b.clearance.id);
    expect(v).toEqual({ status: 'locked', clearance: expect.objectContaining({ id: b.clearance.id }), until: lockout!.until });
    expect(g.status().pending.map((c) => [c.id, c.attemptsLeft])).toEqual([[b.clearance.id, 2]]);
    expect(g.status().grants).toEqual([]);
    expect(g.audit.read().filter((e) => e.id === b.clearance.id).map((e) => e.event)).toEqual(['requested', 'delivered']);
  });

  it('when the process that took the last attempt died before judging it, the next verify revokes the code and locks the tier', async () => {
    sb = new Sandbox();
    const g = guardIn(sb, { push: { maxAttempts: 3, lockoutSeconds: 600 } });
    const r = await g.request(pushOp());
    if (r.status !== 'sent') throw new Error('unexpected');
    const code = sb.lastCode();
    const minuteAgo = new Date(Date.now() - 60_000);
    for (let k = 1; k <= 3; k++) {
      const f = join(sb.stateDir, 'attempts', `${r.clearance.id}.${k}`);
      writeFileSync(f, '', { mode: 0o600 });
      utimesSync(f, minuteAgo, minuteAgo);
    }
    const v = await g.verify(code, r.clearance.id); // even the right code: no attempt is left to judge it
    expect(v).toMatchObject({ status: 'locked', until: expect.any(Number) });
    expect(g.status().pending).toEqual([]);
    expect(g.status().lockouts).toMatchObject([{ tier: 'push', cause: `clearance ${r.clearance.id} ran out of attempts` }]);
    expect(g.audit.read().slice(-2).map((e) => [e.event, e.detail])).toEqual([
      ['revoked', 'no attempts left'],
      ['locked_out', expect.stringMatching(/^no push-tier codes until /)],
    ]);
    expect(readdirSync(join(sb.stateDir, 'attempts'))).toEqual([]);
    expect((await g.request(pushOp('other'))).status).toBe('locked');
  });

  it('while the last attempt is recent, its holder is left to judge it: locked, but no lockout and no revocation yet', async () => {
    sb = new Sandbox();
    const g = guardIn(sb, { push: { maxAttempts: 2 } });
    const r = await g.request(pushOp());
    if (r.status !== 'sent') throw new Error('unexpected');
    for (const k of [1, 2]) writeFileSync(join(sb.stateDir, 'attempts', `${r.clearance.id}.${k}`), '', { mode: 0o600 });
    const v = await g.verify(sb.lastCode(), r.clearance.id);
    expect(v).toMatchObject({ status: 'locked', until: null });
    expect(g.status().pending.map((c) => [c.id, c.attemptsLeft])).toEqual([[r.clearance.id, 0]]);
    expect(g.status().lockouts).toEqual([]);
    expect(events(g)).toEqual(['requested', 'delivered']);
  });

  it('a lockout ends after lockoutSeconds', async () => {
    sb = new Sandbox();
    const g = guardIn(sb, { push: { maxAttempts: 1, lockoutSeconds: 1 } });
    const r = await g.request(pushOp());
    if (r.status !== 'sent') throw new Error('unexpected');
    await g.verify(wrongCode(sb.lastCode()), r.clearance.id);
    expect((await g.request(pushOp())).status).toBe('locked');
    await sleep(1100);
    expect((await g.request(pushOp())).status).toBe('sent');
  });

  it('the delete tier enforces its cooldown between attempts, without using one', async () => {
    sb = new Sandbox();
    const g = guardIn(sb, { delete: { cooldownSeconds: 2 } });
    const r = await g.request(deleteOp());
    if (r.status !== 'sent') throw new Error('unexpected');
    const code = sb.lastCode();
    const first = await g.verify(wrongCode(code), r.clearance.id);
    expect(first).toMatchObject({ status: 'wrong', attemptsLeft: 2 });
    const tooSoon = await g.verify(code, r.clearance.id);
    expect(tooSoon.status).toBe('cooldown');
    expect(g.status().pending[0]?.attemptsLeft).toBe(2);
    await sleep(2100);
    expect((await g.verify(code, r.clearance.id)).status).toBe('granted');
  });

  it('uses the seed defaults: push 300 s / 5 attempts / 60 s lockout; delete 300 s / 3 / 900 s / 10 s cooldown', () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    expect(g.config.push).toEqual({
      codeTtlSeconds: 300, maxAttempts: 5, lockoutSeconds: 60, cooldownSeconds: 0,
      protectedBranches: ['main', 'master', 'release/**'], guardForceAndDeleteOnAllBranches: false,
    });
    expect(g.config.delete).toEqual({ codeTtlSeconds: 300, maxAttempts: 3, lockoutSeconds: 900, cooldownSeconds: 10 });
    expect(g.config.grantTtlSeconds).toBe(120);
  });
});

describe('delivery failures fail closed', () => {
  const broken: Delivery = {
    name: 'broken',
    secure: true,
    describe: () => 'a provider that is down',
    send: async () => {
      throw new GuardError('delivery', 'provider unreachable (ECONNREFUSED)', 'check the network');
    },
  };

  it('revokes the clearance, audits the failure, and leaves the operation blocked', async () => {
    sb = new Sandbox();
    const g = guardIn(sb, {}, { delivery: broken });
    await expect(g.request(pushOp())).rejects.toThrow(/provider unreachable/);
    expect(g.status().pending).toHaveLength(0);
    expect(g.consume(pushOp())).toBe(false);
    expect(events(g)).toEqual(['requested', 'delivery_failed', 'revoked']);
  });

  it('a delivery that echoes the message in its error never gets the code into the error or the audit log', async () => {
    sb = new Sandbox();
    let seen: Message | undefined;
    const echoing: Delivery = { ...broken, send: async (m) => ((seen = m), Promise.reject(new Error(`HTTP 500, you sent: ${m.text}`))) };
    const g = guardIn(sb, {}, { delivery: echoing });
    const err = (await g.request(pushOp()).then(
      () => new Error('expected the request to fail'),
      (e: unknown) => e,
    )) as GuardError;
    const code = codeIn(seen?.text ?? '') as string;
    expect(code).toMatch(/^\d{6}$/);
    expect(err.describe()).toContain('[redacted]');
    expect(err.describe()).not.toContain(code);
    expect(readFileSync(g.audit.path, 'utf8')).not.toContain(code);
  });

  it('a receipt id that echoes the code is redacted in the audit log', async () => {
    sb = new Sandbox();
    let code = '';
    const echoing: Delivery = { ...broken, send: async (m) => ((code = codeIn(m.text) as string), { id: `id-${code}` }) };
    const g = guardIn(sb, {}, { delivery: echoing });
    expect((await g.request(pushOp())).status).toBe('sent');
    const log = readFileSync(g.audit.path, 'utf8');
    expect(log).toContain('id-[redacted]');
    expect(log).not.toContain(code);
  });
});

describe('garbage collection', () => {
  it('removes expired clearances and grants and records them', async () => {
    sb = new Sandbox();
    const g = guardIn(sb, { push: { codeTtlSeconds: 1 }, grantTtlSeconds: 1 });
    const a = await g.request(pushOp('a'));
    await g.request(pushOp('b'));
    if (a.status !== 'sent') throw new Error('unexpected');
    const mails = sb.mails();
    await g.verify(codeIn(mails[0] as string) as string, a.clearance.id);
    await sleep(1100);
    const s = g.status();
    expect(s.pending).toHaveLength(0);
    expect(s.grants).toHaveLength(0);
    expect(readdirSync(join(sb.stateDir, 'pending'))).toEqual([]);
    expect(readdirSync(join(sb.stateDir, 'grants'))).toEqual([]);
    expect(events(g).filter((e) => e === 'expired')).toHaveLength(2);
  });
});
