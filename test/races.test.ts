import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { guardIn, pushOp } from './helpers/guard.js';
import { race, raceRounds, tally } from './helpers/race.js';
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

  it('processes appending at once while a dead process\'s lock sits on the log: one chain, unique sequence numbers', async () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    g.store.init();
    const lock = join(sb.stateDir, 'audit.lock');
    // A lock left by a process that died holding it: every racer finds it and judges it
    // stale at once. Two that both break it must not both go on to append. The padding
    // (read whole by a naive stale check) widens the moment between judging the lock and
    // deleting it, so a takeover that is not atomic loses the race in every run.
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    expect(() => process.kill(dead, 0)).toThrow();
    const staleLock = `${dead}@${hostname()}@${'x'.repeat(4 * 1024 * 1024)}`;
    const n = 20;
    const rounds = 8;
    const seqs = (await raceRounds(sb, n, rounds, ['audit-rounds'], () => writeFileSync(lock, staleLock, { mode: 0o600 }))).flat().map(Number);
    expect(new Set(seqs).size).toBe(n * rounds);
    const check = await sb.cli(['audit', '--verify']);
    expect(check.stdout).toMatch(new RegExp(`Audit log intact: ${n * rounds} line\\(s\\)`));
    expect(check.code).toBe(0);
    expect(g.audit.read().map((e) => e.seq)).toEqual(Array.from({ length: n * rounds }, (_, i) => i + 1));
    expect(existsSync(lock)).toBe(false);
  });
});
