import { chownSync, cpSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprintOf, checkOperation } from '../src/core/operation.js';
import { guardIn, pushOp } from './helpers/guard.js';
import { Sandbox } from './helpers/sandbox.js';

/**
 * Everything an agent running as the same user could do to the state files by hand.
 * None of it may produce a grant; each case must be noticed and recorded.
 */
let sb: Sandbox;
afterEach(() => sb?.cleanup());

const grantPath = (op: ReturnType<typeof pushOp>) => join(sb.stateDir, 'grants', `${fingerprintOf(checkOperation(op))}.json`);
const pendingPath = (op: ReturnType<typeof pushOp>) => join(sb.stateDir, 'pending', `${fingerprintOf(checkOperation(op))}.json`);
const isRoot = process.getuid?.() === 0;

/** Get a real grant for `op` the way a human would, and return its file's text. */
async function granted(g: ReturnType<typeof guardIn>, op = pushOp(), where: Sandbox = sb): Promise<string> {
  const r = await g.request(op);
  if (r.status !== 'sent') throw new Error(`request: ${r.status}`);
  const v = await g.verify(where.lastCode(), r.clearance.id);
  if (v.status !== 'granted') throw new Error(`verify: ${v.status}`);
  return readFileSync(join(where.stateDir, 'grants', `${fingerprintOf(checkOperation(op))}.json`), 'utf8');
}

const invalidEvents = (g: ReturnType<typeof guardIn>) => g.audit.read().filter((e) => e.event === 'state_invalid');

describe('forged and altered grants are never grants', () => {
  it('a grant written by hand (no valid seal) is refused, quarantined and recorded', () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    g.store.init();
    const op = pushOp();
    const now = Date.now();
    const forged = { v: 1, kind: 'grant', grantId: 'AAAAAAAAAAAAAAAA', clearanceId: 'abcdefgh', tier: 'push', action: op.action, summary: op.summary, fingerprint: fingerprintOf(checkOperation(op)), grantedAt: now, expiresAt: now + 60_000, grantedBy: { via: 'cli:verify', user: 'x', host: 'x', pid: 1 }, mac: 'x'.repeat(43) };
    writeFileSync(grantPath(op), JSON.stringify(forged), { mode: 0o600 });
    expect(g.consume(op)).toBe(false);
    expect(readdirSync(join(sb.stateDir, 'quarantine'))).toHaveLength(1);
    expect(invalidEvents(g)[0]?.detail).toMatch(/seal does not match/);
  });

  it('a real grant with one field changed (a longer expiry) is refused', async () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    const text = await granted(g);
    const grant = JSON.parse(text) as { expiresAt: number };
    grant.expiresAt += 3600_000;
    writeFileSync(grantPath(pushOp()), JSON.stringify(grant));
    expect(g.consume(pushOp())).toBe(false);
  });

  it('a grant made with another pepper is refused', async () => {
    sb = new Sandbox();
    const other = new Sandbox();
    try {
      const text = await granted(guardIn(other), pushOp(), other);
      const g = guardIn(sb);
      g.store.init();
      writeFileSync(grantPath(pushOp()), text, { mode: 0o600 });
      expect(g.consume(pushOp())).toBe(false);
    } finally {
      other.cleanup();
    }
  });

  it('a grant moved under another operation\'s name releases neither', async () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    await granted(g, pushOp('feature'));
    renameSync(grantPath(pushOp('feature')), grantPath(pushOp('main')));
    expect(g.consume(pushOp('main'))).toBe(false);
    expect(g.consume(pushOp('feature'))).toBe(false);
    expect(invalidEvents(g).some((e) => /another operation/.test(e.detail ?? ''))).toBe(true);
  });

  it('a used grant put back (replay) is refused', async () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    const text = await granted(g);
    expect(g.consume(pushOp())).toBe(true);
    writeFileSync(grantPath(pushOp()), text, { mode: 0o600 });
    expect(g.consume(pushOp())).toBe(false);
    expect(invalidEvents(g).some((e) => /replay/.test(e.detail ?? ''))).toBe(true);
  });

  it('a torn grant (half written) is refused', async () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    const text = await granted(g);
    writeFileSync(grantPath(pushOp()), text.slice(0, Math.floor(text.length / 2)));
    expect(g.consume(pushOp())).toBe(false);
    expect(invalidEvents(g)[0]?.detail).toMatch(/not valid JSON/);
  });

  it('an empty grant file is refused', async () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    await granted(g);
    writeFileSync(grantPath(pushOp()), '');
    expect(g.consume(pushOp())).toBe(false);
  });

  it('a symlink to a valid grant is not followed', async () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    await granted(g);
    const outside = join(sb.base, 'grant-copy.json');
    renameSync(grantPath(pushOp()), outside);
    symlinkSync(outside, grantPath(pushOp()));
    expect(g.consume(pushOp())).toBe(false);
    expect(invalidEvents(g)[0]?.detail).toMatch(/symlink/);
  });

  it.skipIf(!isRoot)('a valid grant owned by another user (foreign) is refused', async () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    await granted(g);
    chownSync(grantPath(pushOp()), 65534, 65534);
    expect(g.consume(pushOp())).toBe(false);
    expect(invalidEvents(g)[0]?.detail).toMatch(/owned by uid 65534/);
  });

  it('a FIFO in place of a grant does not hang the consumer', async () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    g.store.init();
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [grantPath(pushOp())]);
    expect(g.consume(pushOp())).toBe(false);
  });
});

describe('altered pending clearances are never used', () => {
  it('a clearance whose limits were raised is invalid: listed, not verifiable, replaced on the next request', async () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    const r = await g.request(pushOp());
    if (r.status !== 'sent') throw new Error('unexpected');
    const code = sb.lastCode();
    const rec = JSON.parse(readFileSync(pendingPath(pushOp()), 'utf8')) as { maxAttempts: number };
    rec.maxAttempts = 1000;
    writeFileSync(pendingPath(pushOp()), JSON.stringify(rec));
    expect(g.store.listPending().invalid).toHaveLength(1);
    expect((await g.verify(code, r.clearance.id)).status).toBe('not_found');
    expect(g.consume(pushOp())).toBe(false);
    const again = await g.request(pushOp());
    expect(again.status).toBe('sent');
    expect(g.store.listPending().invalid).toHaveLength(0);
  });

  it('a clearance swapped in from another operation is invalid (its name and fingerprint disagree)', async () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    const r = await g.request(pushOp('feature'));
    if (r.status !== 'sent') throw new Error('unexpected');
    const code = sb.lastCode();
    renameSync(pendingPath(pushOp('feature')), pendingPath(pushOp('main')));
    expect((await g.verify(code, r.clearance.id)).status).toBe('not_found');
    expect(g.consume(pushOp('main'))).toBe(false);
  });

  it('a symlinked pending file is invalid', async () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    await g.request(pushOp());
    const outside = join(sb.base, 'pending-copy.json');
    renameSync(pendingPath(pushOp()), outside);
    symlinkSync(outside, pendingPath(pushOp()));
    expect(g.store.listPending()).toMatchObject({ clearances: [], invalid: [{ reason: expect.stringMatching(/symlink/) }] });
  });
});

describe('lockouts and the state dir fail closed', () => {
  it('a corrupt lockout file counts as a full lockout, not as none', async () => {
    sb = new Sandbox();
    const g = guardIn(sb, { push: { lockoutSeconds: 60 } });
    g.store.init();
    writeFileSync(join(sb.stateDir, 'lockouts', 'push.json'), '{"until": 0}');
    const r = await g.request(pushOp());
    expect(r.status).toBe('locked');
    expect(invalidEvents(g)).toHaveLength(1);
  });

  it('deleting attempt files of a live clearance does not happen in GC (it would refill guesses)', async () => {
    sb = new Sandbox();
    const g = guardIn(sb, { push: { maxAttempts: 3 } });
    const r = await g.request(pushOp());
    if (r.status !== 'sent') throw new Error('unexpected');
    await g.verify('000000' === sb.lastCode() ? '000001' : '000000', r.clearance.id);
    g.store.gc();
    g.store.gc();
    expect(g.status().pending[0]?.attemptsLeft).toBe(2);
  });

  it('a symlinked state dir is refused with a clear message', async () => {
    sb = new Sandbox();
    const elsewhere = join(sb.base, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, sb.stateDir);
    const g = guardIn(sb);
    await expect(g.request(pushOp())).rejects.toThrow(/is a symlink/);
  });

  it('a state dir with a loose mode is tightened to 700', async () => {
    sb = new Sandbox();
    mkdirSync(sb.stateDir, { mode: 0o777 });
    const { chmodSync, statSync } = await import('node:fs');
    chmodSync(sb.stateDir, 0o777);
    const g = guardIn(sb);
    await g.request(pushOp());
    expect(statSync(sb.stateDir).mode & 0o777).toBe(0o700);
  });

  it('a copied state dir from another machine (other pepper) yields nothing usable', async () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    await granted(g);
    const other = new Sandbox();
    try {
      rmSync(join(other.repo, '.theguard'), { recursive: true, force: true });
      cpSync(sb.stateDir, join(other.repo, '.theguard'), { recursive: true });
      const g2 = guardIn(other);
      expect(g2.consume(pushOp())).toBe(false);
    } finally {
      other.cleanup();
    }
  });
});
