import { closeSync, constants, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { errnoCode } from '../errors.js';
import { claimFile, createFileExclusive, createMarker, mtimeMs, restoreClaim, safeUnlink } from './safe-fs.js';

/**
 * A small cross-process mutex: a lock file created whole (link(2) of a finished temp
 * file, so it is never seen empty) holding its owner's token. Used only where an append
 * must see the previous line (the audit chain); the security counters (attempts, grants)
 * never depend on it: they use exclusive creates and renames instead.
 *
 * Taking over a stale lock is the delicate part. Checking "stale?" and then deleting is
 * not atomic: two waiters can both judge the same dead lock stale, and the second one
 * then deletes the lock the first one has just taken. So the right to remove one
 * particular stale lock is itself taken with an exclusive create: `<lock>.break-<token>`.
 * Tokens are unique per acquisition, so of any number of waiters that judged the same
 * lock stale exactly one may remove it; the rest go back to waiting. A lock whose owner
 * is alive is never removed.
 */
const sleeper = new Int32Array(new SharedArrayBuffer(4));
export function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

export class LockTimeoutError extends Error {}

/** Break markers are kept this long, far beyond the moment between reading a lock and breaking it. */
const MARKER_TTL_MS = 10 * 60_000;

let acquisitions = 0;

export function withLock<T>(lockPath: string, fn: () => T, opts: { timeoutMs?: number; staleMs?: number } = {}): T {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const staleMs = opts.staleMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  const token = newToken();
  for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
    if (createFileExclusive(lockPath, token, { durable: false })) break;
    if (breakIfStale(lockPath, staleMs)) continue;
    if (Date.now() > deadline) {
      const holder = readLock(lockPath)?.token ?? 'unknown';
      throw new LockTimeoutError(`timed out waiting for ${lockPath} (held by ${holder}); if no theguard process is running, remove that file`);
    }
    sleepSync(delay + Math.random() * delay);
  }
  try {
    return fn();
  } finally {
    // Ours unless something broke it; then it is someone else's now and stays.
    if (readLock(lockPath)?.token === token) safeUnlink(lockPath);
  }
}

/** `pid@host@start@nonce`: who holds it, and enough to tell a reused pid from its owner. */
function newToken(): string {
  acquisitions += 1;
  const nonce = `${Date.now().toString(36)}${acquisitions.toString(36)}${Math.random().toString(36).slice(2, 10)}`;
  return `${process.pid}@${hostname()}@${processStart(process.pid) ?? '-'}@${nonce}`;
}

interface SeenLock {
  readonly token: string;
  readonly ino: number;
  readonly mtimeMs: number;
}

/** The lock's token, inode and age, all from one open file, so they describe the same lock. */
function readLock(lockPath: string): SeenLock | null {
  let fd: number;
  try {
    fd = openSync(lockPath, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return null;
    // A symlink or something unopenable: not a lock of ours; judge it by its age alone.
    const m = mtimeMs(lockPath);
    return m === null ? null : { token: '', ino: -1, mtimeMs: m };
  }
  try {
    const st = fstatSync(fd);
    const buf = Buffer.alloc(st.isFile() ? Math.min(st.size, 1024) : 0);
    const n = buf.length ? readSync(fd, buf, 0, buf.length, 0) : 0;
    return { token: buf.subarray(0, n).toString('utf8'), ino: st.ino, mtimeMs: st.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

/**
 * If the lock is stale, remove it, as the only waiter allowed to. True when the caller
 * should try to take the lock again at once (it was removed, or it vanished).
 */
function breakIfStale(lockPath: string, staleMs: number): boolean {
  const seen = readLock(lockPath);
  if (seen === null) return true;
  if (!isStale(seen, staleMs)) return false;
  if (!takeBreakRight(lockPath, seen, staleMs)) return false;
  // Move the lock aside and make sure it is the one judged stale. It always is, unless
  // this process stalled for longer than markers live; then it goes back.
  const aside = claimFile(lockPath);
  if (aside !== null) {
    const now = readLock(aside);
    if (now !== null && now.token === seen.token && now.ino === seen.ino) safeUnlink(aside);
    else restoreClaim(aside, lockPath);
  }
  sweepMarkers(lockPath);
  return true;
}

/**
 * The exclusive create is the decision: one waiter per stale lock gets past it. If the
 * waiter that got past died before removing the lock, its marker ages; after staleMs the
 * next level is open, again to exactly one waiter.
 */
function takeBreakRight(lockPath: string, seen: SeenLock, staleMs: number): boolean {
  const key = markerKey(seen);
  for (let level = 0; level < 8; level++) {
    const marker = `${lockPath}.break-${key}.${level}`;
    if (createMarker(marker)) return true;
    const since = mtimeMs(marker);
    if (since !== null && Date.now() - since <= staleMs) return false;
  }
  return false;
}

/**
 * Stale means: its owner, on this machine, is gone (no such process, or the pid now
 * belongs to a process started later). A lock from another machine, or one that is not
 * ours, is judged by age, since nothing better can be known about it.
 */
function isStale(seen: SeenLock, staleMs: number): boolean {
  const [pid, host, start] = seen.token.split('@');
  if (!pid || !/^\d+$/.test(pid) || !host || host !== hostname()) return Date.now() - seen.mtimeMs > staleMs;
  try {
    process.kill(Number(pid), 0);
  } catch (err) {
    if (errnoCode(err) === 'ESRCH') return true;
  }
  if (start === undefined || start === '-') return false;
  const current = processStart(Number(pid));
  return current !== null && current !== start;
}

/** A file-name-safe identity of one lock file: its token and inode. */
function markerKey(seen: SeenLock): string {
  return `${seen.token.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120)}.${seen.ino}.${Math.floor(seen.mtimeMs)}`;
}

function sweepMarkers(lockPath: string): void {
  const prefix = `${basename(lockPath)}.break-`;
  const cutoff = Date.now() - MARKER_TTL_MS;
  let names: string[];
  try {
    names = readdirSync(dirname(lockPath));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const path = join(dirname(lockPath), name);
    const m = mtimeMs(path);
    if (m !== null && m < cutoff) safeUnlink(path);
  }
}

/**
 * When a process started, from /proc (Linux): field 22 of /proc/<pid>/stat, in clock
 * ticks since boot. Elsewhere null, and a live pid is taken to be the owner.
 */
function processStart(pid: number): string | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces and parentheses; count from its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = fields[19];
  return start && /^\d+$/.test(start) ? start : null;
}
