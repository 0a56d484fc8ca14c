import { afterEach, describe, expect, it } from 'vitest';
import { guardIn, pushOp } from './helpers/guard.js';
import { race, tally } from './helpers/race.js';
import { Sandbox, wrongCode } from './helpers/sandbox.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

describe('across real processes racing each other', () => {
  it('100 simultaneous wrong guesses: exactly maxAttempts are evaluated, not one more', async () => {
    sb = new Sandbox({ config: { push: { maxAttempts: 5 } } });
    const g = guardIn(sb, { push: { maxAttempts: 5 } });
    const r = await g.request(pushOp());
    if (r.status !== 'sent') throw new Error('unexpected');
    const code = sb.lastCode();
    const results = await race(sb, 100, ['verify', r.clearance.id, wrongCode(code)]);
    const t = tally(results);
    // "wrong" is reported only by a process whose guess was actually checked.
    expect(t.wrong).toBe(5);
    expect(t.granted).toBeUndefined();
    expect((t.locked ?? 0) + (t.not_found ?? 0)).toBe(95);
    const failed = g.audit.read().filter((e) => e.event === 'verify_failed');
    expect(failed).toHaveLength(5);
    // The code is dead and the tier is locked: even the right code does nothing now.
    expect((await g.verify(code, r.clearance.id)).status).toBe('not_found');
    expect((await g.request(pushOp())).status).toBe('locked');
  });

  it('50 simultaneous consumers of one grant: exactly one succeeds', async () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    const op = pushOp();
    const r = await g.request(op);
    if (r.status !== 'sent') throw new Error('unexpected');
    expect((await g.verify(sb.lastCode(), r.clearance.id)).status).toBe('granted');
    const results = await race(sb, 50, ['consume', JSON.stringify(op)]);
    expect(tally(results)).toEqual({ true: 1, false: 49 });
    expect(g.audit.read().filter((e) => e.event === 'consumed')).toHaveLength(1);
  });

  it('20 simultaneous requests for one operation send exactly one code', async () => {
    sb = new Sandbox();
    const results = await race(sb, 20, ['request', JSON.stringify(pushOp())]);
    expect(tally(results)).toEqual({ sent: 1, pending: 19 });
    expect(sb.mails()).toHaveLength(1);
  });

  it('the audit chain stays intact under concurrent writers', async () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    const r = await g.request(pushOp());
    if (r.status !== 'sent') throw new Error('unexpected');
    await race(sb, 30, ['verify', r.clearance.id, wrongCode(sb.lastCode())]);
    const check = g.audit.verify();
    expect(check).toMatchObject({ ok: true });
    expect(check.lines).toBeGreaterThanOrEqual(2 + 5 + 1 + 1); // requested, delivered, 5 failures, revoked, locked_out
  });
});
