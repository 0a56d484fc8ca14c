import { afterEach, describe, expect, it } from 'vitest';
import { SendLog } from '../src/core/send-log.js';
import { Sandbox } from './helpers/sandbox.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

describe('the send log caps codes per session and per project', () => {
  it('allows up to the per-session cap, then says when the session may send again', () => {
    sb = new Sandbox();
    const log = new SendLog(sb.stateDir, { perSession: 3, perProject: 100, windowSeconds: 600 });
    const t0 = 1_800_000_000_000;
    for (let i = 0; i < 3; i++) {
      expect(log.check('s1', t0 + i)).toEqual({ ok: true });
      log.record('s1', t0 + i);
    }
    expect(log.check('s1', t0 + 10)).toEqual({ ok: false, scope: 'session', limit: 3, until: t0 + 600_000 });
    expect(log.check('s2', t0 + 10)).toEqual({ ok: true });
    expect(log.check('s1', t0 + 600_001)).toEqual({ ok: true });
  });

  it('counts every session against the project cap', () => {
    sb = new Sandbox();
    const log = new SendLog(sb.stateDir, { perSession: 10, perProject: 4, windowSeconds: 60 });
    const t0 = 1_800_000_000_000;
    ['a', 'b', 'c', undefined].forEach((s, i) => log.record(s, t0 + i));
    expect(log.check('d', t0 + 5)).toMatchObject({ ok: false, scope: 'project', limit: 4 });
    expect(log.check(undefined, t0 + 5)).toMatchObject({ ok: false, scope: 'project' });
  });

  it('prunes entries that left the window and ignores foreign file names', async () => {
    sb = new Sandbox();
    const log = new SendLog(sb.stateDir, { perSession: 1, perProject: 1, windowSeconds: 1 });
    const t0 = 1_800_000_000_000;
    log.record('a', t0);
    const { readdirSync, writeFileSync } = await import('node:fs');
    writeFileSync(`${sb.stateDir}/sends/not-a-send`, '');
    log.record('b', t0 + 5000);
    expect(readdirSync(`${sb.stateDir}/sends`).filter((n) => n.startsWith('18'))).toHaveLength(1);
    expect(log.check('c', t0 + 5001)).toMatchObject({ ok: false });
  });
});
