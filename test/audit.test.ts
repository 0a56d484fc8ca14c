import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { guardIn, pushOp } from './helpers/guard.js';
import { Sandbox, wrongCode } from './helpers/sandbox.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

/** A log of 7 lines: request, delivery, two failures, a grant, a consume, a second request. */
async function history(): Promise<{ g: ReturnType<typeof guardIn>; path: string }> {
  const g = guardIn(sb);
  const r = await g.request(pushOp());
  if (r.status !== 'sent') throw new Error('unexpected');
  const code = sb.lastCode();
  await g.verify(wrongCode(code, 1), r.clearance.id);
  await g.verify(wrongCode(code, 2), r.clearance.id);
  await g.verify(code, r.clearance.id);
  g.consume(pushOp());
  await g.request(pushOp('other'));
  return { g, path: g.audit.path };
}

const lines = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n');
const save = (path: string, ls: string[]) => writeFileSync(path, `${ls.join('\n')}\n`);

describe('the audit log', () => {
  it('records every event with time, tier, summary, fingerprint and actor, chained to the line before', async () => {
    sb = new Sandbox();
    const { g, path } = await history();
    const entries = g.audit.read();
    expect(entries.map((e) => e.event)).toEqual(['requested', 'delivered', 'verify_failed', 'verify_failed', 'granted', 'consumed', 'requested', 'delivered']);
    for (const e of entries) {
      expect(e).toMatchObject({ tier: 'push', summary: expect.any(String), fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/), actor: { via: 'test', pid: process.pid } });
      expect(Date.parse(e.ts)).not.toBeNaN();
    }
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(lines(path)).toHaveLength(8);
    expect((await sb.cli(['audit', '--verify'])).code).toBe(0);
  });

  it('names an altered line', async () => {
    sb = new Sandbox();
    const { path } = await history();
    const ls = lines(path);
    ls[2] = ls[2]!.replace('attempt 1 of 5', 'attempt 0 of 5');
    save(path, ls);
    const res = await sb.cli(['audit', '--verify']);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/line 3 does not match its MAC/);
  });

  it('names the place of a removed line', async () => {
    sb = new Sandbox();
    const { path } = await history();
    const ls = lines(path);
    ls.splice(4, 1); // remove "granted"
    save(path, ls);
    const res = await sb.cli(['audit', '--verify']);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/line 5 follows a gap: 1 line\(s\) before it are missing/);
  });

  it('notices lines cut off the end', async () => {
    sb = new Sandbox();
    const { path } = await history();
    save(path, lines(path).slice(0, 5));
    const res = await sb.cli(['audit', '--verify']);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/ends early: audit.head records line 8, the log has 5/);
  });

  it('notices lines cut off the end when audit.head was deleted with them, and names the fix', async () => {
    sb = new Sandbox();
    const { path } = await history();
    save(path, lines(path).slice(0, 5));
    rmSync(join(sb.stateDir, 'audit.head'));
    const res = await sb.cli(['audit', '--verify']);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/after line 5 \(the end of the log\): audit.head is missing while the log has 5 line\(s\)/);
    expect(res.stdout).toMatch(/Fix: keep audit.jsonl and audit.head as evidence .* move both files out of the state dir/);
    const json = JSON.parse((await sb.cli(['audit', '--verify', '--json'])).stdout) as { ok: boolean; problem: { line: number; reason: string }; fix: string };
    expect(json).toMatchObject({ ok: false, problem: { line: 6 }, fix: expect.stringMatching(/move both files/) });
  });

  it('a later append cannot hide the cut: the next line records that the end was lost', async () => {
    sb = new Sandbox();
    const { g, path } = await history();
    save(path, lines(path).slice(0, 5));
    rmSync(join(sb.stateDir, 'audit.head'));
    await g.request(pushOp('after-the-cut')); // appends, and writes a fresh audit.head
    expect(existsSync(join(sb.stateDir, 'audit.head'))).toBe(true);
    const res = await sb.cli(['audit', '--verify']);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/line 6 was written when the end of the log could not be confirmed \(audit.head is missing while the log has 5 line\(s\)/);
    expect((await sb.cli(['audit'])).stdout).toMatch(/LINES MAY BE MISSING BEFORE THIS ONE/);
  });

  it('a head put back from an older copy is noticed; a head one line behind (a crash between the two writes) is not an error', async () => {
    sb = new Sandbox();
    const g = guardIn(sb);
    const head = join(sb.stateDir, 'audit.head');
    await g.request(pushOp());
    const actor = g.audit.read()[0]!.actor;
    const older = readFileSync(head);
    g.audit.append('blocked', actor, { detail: 'one more' });
    writeFileSync(head, older); // as if the process died after writing the line, before the head
    expect(g.audit.verify()).toEqual({ ok: true, lines: 3 });
    g.audit.append('blocked', actor, { detail: 'and another' }); // the crash window is not a gap
    expect(g.audit.verify()).toEqual({ ok: true, lines: 4 });
    writeFileSync(head, older); // now two lines behind: an old copy, not a crash
    const res = await sb.cli(['audit', '--verify']);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/audit.head records line 2, but the log goes on to line 4/);
  });

  it('no log and no head is an empty log: exit 0, saying that a deleted log looks the same', async () => {
    sb = new Sandbox();
    const res = await sb.cli(['audit', '--verify']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/The audit log is empty .*or audit.jsonl and audit.head were both deleted; the two cannot be told apart/);
  });

  it('notices a forged line appended by hand, and keeps chaining after it', async () => {
    sb = new Sandbox();
    const { g, path } = await history();
    const forged = JSON.parse(lines(path)[5]!) as Record<string, unknown>;
    forged.seq = 9;
    writeFileSync(path, `${JSON.stringify(forged)}`, { flag: 'a' }); // no newline: a torn tail
    g.audit.append('blocked', g.audit.read()[0]!.actor, { detail: 'after the forgery' });
    const ls = lines(path);
    expect(ls).toHaveLength(10);
    const res = await sb.cli(['audit', '--verify']);
    expect(res.stdout).toMatch(/line 9 does not match its MAC/);
  });

  it('notices swapped lines', async () => {
    sb = new Sandbox();
    const { path } = await history();
    const ls = lines(path);
    [ls[2], ls[3]] = [ls[3]!, ls[2]!];
    save(path, ls);
    const res = await sb.cli(['audit', '--verify']);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/line 3 follows a gap|line 3 repeats or reorders/);
  });

  it('prints a readable table and raw JSON lines', async () => {
    sb = new Sandbox();
    await history();
    const table = await sb.cli(['audit']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/verify_failed .*attempt 1 of 5/);
    const json = await sb.cli(['audit', '--json']);
    const parsed = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string });
    expect(parsed).toHaveLength(8);
  });
});
