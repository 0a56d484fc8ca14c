import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LockTimeoutError, withLock } from '../src/core/lib/lock.js';
import { Sandbox } from './helpers/sandbox.js';

let sb: Sandbox;
let child: ChildProcess | undefined;
afterEach(() => {
  if (child?.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  child = undefined;
  sb?.cleanup();
});

/** A live process that is not ours to wait for: it only sleeps. */
async function sleeper(): Promise<number> {
  child = spawn(process.execPath, ['-e', 'process.stdout.write("up"); setTimeout(() => {}, 600_000)'], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((resolve) => child!.stdout!.once('data', resolve));
  return child.pid as number;
}

/** Field 22 of /proc/<pid>/stat: when the process started. */
const startOf = (pid: number): string => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] as string;
};

const hasProc = existsSync('/proc/self/stat');

describe('the audit lock', () => {
  it('never takes over a lock whose owner is alive, however old it is; the timeout names the file to remove', async () => {
    sb = new Sandbox();
    mkdirSync(sb.stateDir);
    const lock = join(sb.stateDir, 'audit.lock');
    const pid = await sleeper();
    writeFileSync(lock, `${pid}@${hostname()}@${hasProc ? startOf(pid) : '-'}@n1`, { mode: 0o600 });
    const hourAgo = new Date(Date.now() - 3600_000);
    utimesSync(lock, hourAgo, hourAgo);
    let ran = false;
    expect(() => withLock(lock, () => (ran = true), { timeoutMs: 300 })).toThrow(LockTimeoutError);
    expect(ran).toBe(false);
    expect(() => withLock(lock, () => 0, { timeoutMs: 50 })).toThrow(new RegExp(`held by ${pid}@.*; if no theguard process is running, remove that file`));
    expect(readFileSync(lock, 'utf8')).toMatch(new RegExp(`^${pid}@`));
  });

  it.runIf(hasProc)('takes over a lock whose pid now belongs to a process started later (a reused pid)', async () => {
    sb = new Sandbox();
    mkdirSync(sb.stateDir);
    const lock = join(sb.stateDir, 'audit.lock');
    const pid = await sleeper();
    writeFileSync(lock, `${pid}@${hostname()}@${Number(startOf(pid)) - 1}@n1`, { mode: 0o600 });
    expect(withLock(lock, () => 'ran', { timeoutMs: 2000 })).toBe('ran');
    expect(existsSync(lock)).toBe(false);
  });

  it('a stale lock whose breaker died mid-way is broken by the next waiter once the breaker\'s marker is old', () => {
    sb = new Sandbox();
    mkdirSync(sb.stateDir);
    const lock = join(sb.stateDir, 'audit.lock');
    const token = `999999999@${hostname()}@-@dead`; // above any pid_max: no such process
    writeFileSync(lock, token, { mode: 0o600 });
    const st = statSync(lock);
    const marker = `${lock}.break-${token.replace(/[^A-Za-z0-9._-]/g, '_')}.${st.ino}.${Math.floor(st.mtimeMs)}.0`;
    writeFileSync(marker, '');
    // A fresh marker: someone is breaking this lock right now, so the others wait.
    expect(() => withLock(lock, () => 0, { timeoutMs: 200, staleMs: 60_000 })).toThrow(LockTimeoutError);
    const old = new Date(Date.now() - 120_000);
    utimesSync(marker, old, old);
    expect(withLock(lock, () => 'ran', { timeoutMs: 2000, staleMs: 60_000 })).toBe('ran');
    expect(existsSync(lock)).toBe(false);
  });

  it('a lock is created whole, with its owner in it, and removed when done', () => {
    sb = new Sandbox();
    mkdirSync(sb.stateDir);
    const lock = join(sb.stateDir, 'audit.lock');
    const seen = withLock(lock, () => readFileSync(lock, 'utf8'));
    expect(seen).toMatch(new RegExp(`^${process.pid}@${hostname()}@(\\d+|-)@[a-z0-9]+$`));
    expect(existsSync(lock)).toBe(false);
  });
});
