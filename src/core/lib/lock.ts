import { closeSync, constants, openSync, readFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { errnoCode } from '../errors.js';
import { mtimeMs, safeUnlink } from './safe-fs.js';

/**
 * A small cross-process mutex: a lock file created with O_EXCL that holds the owner's
 * pid. Used only where an append must see the previous line (the audit chain); the
 * security counters (attempts, grants) never depend on it: they use exclusive creates
 * and renames instead, which cannot go stale.
 */
const sleeper = new Int32Array(new SharedArrayBuffer(4));
export function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

export class LockTimeoutError extends Error {}

export function withLock<T>(lockPath: string, fn: () => T, opts: { timeoutMs?: number; staleMs?: number } = {}): T {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const staleMs = opts.staleMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  const me = `${process.pid}@${hostname()}`;
  for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
    try {
      const fd = openSync(lockPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
      writeSync(fd, me);
      closeSync(fd);
      break;
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err;
    }
    if (isStale(lockPath, staleMs)) {
      safeUnlink(lockPath);
      continue;
    }
    if (Date.now() > deadline) throw new LockTimeoutError(`timed out waiting for ${lockPath}`);
    sleepSync(delay + Math.random() * delay);
  }
  try {
    return fn();
  } finally {
    safeUnlink(lockPath);
  }
}

/** A lock is stale when its owner on this host is gone, or it is older than any hold could be. */
function isStale(lockPath: string, staleMs: number): boolean {
  const mtime = mtimeMs(lockPath);
  if (mtime === null) return false;
  if (Date.now() - mtime > staleMs) return true;
  let owner: string;
  try {
    owner = readFileSync(lockPath, 'utf8');
  } catch {
    return false;
  }
  const [pid, host] = owner.split('@');
  if (host !== hostname() || !pid || !/^\d+$/.test(pid)) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (err) {
    return errnoCode(err) === 'ESRCH';
  }
}
