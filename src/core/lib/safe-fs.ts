import {
  chmodSync,
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errnoCode } from '../errors.js';

/**
 * The file primitives every state file goes through. Three rules:
 * - nothing is read through a symlink (O_NOFOLLOW) and only regular files we own are read;
 * - nothing is written in place: a temp file in the same directory is renamed or linked over;
 * - claiming (taking a file for ourselves) is one rename, so only one process can win it.
 */

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;

export type UnsafeReason = 'symlink' | 'not-regular' | 'foreign-owner' | 'too-large' | 'loose-mode' | 'unstable';

export class UnsafeFileError extends Error {
  readonly path: string;
  readonly reason: UnsafeReason;
  constructor(path: string, reason: UnsafeReason, detail: string) {
    super(`${path}: ${detail}`);
    this.name = 'UnsafeFileError';
    this.path = path;
    this.reason = reason;
  }
}

function myUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

let made = 0;

/**
 * A fresh name next to `target`. It must be unique, not secret: files are created with
 * O_EXCL | O_NOFOLLOW and renames replace only a name. Built without node:crypto, which
 * the Claude Code hook's light path must not load (it costs a twentieth of its budget).
 */
function tempName(target: string, tag: string): string {
  made += 1;
  const unique = `${process.pid.toString(36)}${Date.now().toString(36)}${made.toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  return join(dirname(target), `.${tag}-${basename(target)}-${unique}`);
}

/**
 * Create (or check) a directory that only this user can use. An existing directory
 * that is a symlink or belongs to someone else is refused; a loose mode on our own
 * directory is tightened, since we own it and the fix is unambiguous.
 */
export function ensurePrivateDir(path: string): void {
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 });
  } catch (err) {
    if (errnoCode(err) !== 'EEXIST') throw err;
  }
  const st = lstatSync(path);
  if (st.isSymbolicLink()) {
    throw new UnsafeFileError(path, 'symlink', 'is a symlink; theguard keeps its state only in a real directory');
  }
  if (!st.isDirectory()) throw new UnsafeFileError(path, 'not-regular', 'exists but is not a directory');
  const uid = myUid();
  if (uid !== undefined && st.uid !== uid) {
    throw new UnsafeFileError(path, 'foreign-owner', `is owned by uid ${st.uid}, not by you (uid ${uid})`);
  }
  if ((st.mode & 0o077) !== 0) chmodSync(path, 0o700);
}

/**
 * Read a small file that must be a regular file owned by us, without following a
 * symlink at the last path component. Returns null when the file does not exist.
 */
export function readPrivateFile(path: string, maxBytes: number, opts: { requirePrivateMode?: boolean } = {}): Buffer | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') throw new UnsafeFileError(path, 'symlink', 'is a symlink; state files are never followed');
    throw err;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UnsafeFileError(path, 'not-regular', 'is not a regular file');
    const uid = myUid();
    if (uid !== undefined && st.uid !== uid) {
      throw new UnsafeFileError(path, 'foreign-owner', `is owned by uid ${st.uid}, not by you (uid ${uid})`);
    }
    if (opts.requirePrivateMode && (st.mode & 0o077) !== 0) {
      throw new UnsafeFileError(path, 'loose-mode', `has mode ${(st.mode & 0o777).toString(8)}; it must be 600`);
    }
    if (st.size > maxBytes) throw new UnsafeFileError(path, 'too-large', `is ${st.size} bytes; the limit is ${maxBytes}`);
    const buf = Buffer.alloc(st.size + 1);
    let len = 0;
    // Read one byte past the stat size so a file that grew after fstat is caught, not truncated.
    for (;;) {
      const n = readSync(fd, buf, len, buf.length - len, null);
      if (n === 0) break;
      len += n;
      if (len === buf.length) break;
    }
    if (len !== st.size) throw new UnsafeFileError(path, 'unstable', 'changed while it was being read');
    return buf.subarray(0, len);
  } finally {
    closeSync(fd);
  }
}

function writeTemp(target: string, data: string | Uint8Array, tag: string, durable = true): string {
  const tmp = tempName(target, tag);
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, 0o600);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    if (durable) fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    safeUnlink(tmp);
    throw err;
  }
  closeSync(fd);
  return tmp;
}

/** Write a whole file atomically: readers see the old content or the new, never a torn mix. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = writeTemp(path, data, 'tmp');
  try {
    renameSync(tmp, path);
  } catch (err) {
    safeUnlink(tmp);
    throw err;
  }
}

/**
 * Create a file with its full content only if nothing is at `path` yet. link(2) fails
 * with EEXIST atomically, so of many racing creators exactly one wins, and the winner's
 * file is complete the moment it appears.
 */
export function createFileExclusive(path: string, data: string | Uint8Array, opts: { durable?: boolean } = {}): boolean {
  // durable: false skips the fsync, for files that mean nothing after a crash (a lock).
  const tmp = writeTemp(path, data, 'new', opts.durable ?? true);
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') return false;
    throw err;
  } finally {
    safeUnlink(tmp);
  }
}

/**
 * Take a file for this process alone by renaming it to a private name. Of any number
 * of racing claimers, exactly one gets the path back; the rest get null. The caller
 * reads the claimed file and then deletes it: the claim, not the read, is the decision.
 */
export function claimFile(path: string): string | null {
  const dest = tempName(path, 'claim');
  try {
    renameSync(path, dest);
    return dest;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return null;
    throw err;
  }
}

/** Put a claimed file back where it was, unless something new has appeared there meanwhile. */
export function restoreClaim(claimed: string, path: string): boolean {
  try {
    linkSync(claimed, path);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') return false;
    throw err;
  } finally {
    safeUnlink(claimed);
  }
}

/** Create an empty marker file; false if it already exists. */
export function createMarker(path: string): boolean {
  try {
    closeSync(openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, 0o600));
    return true;
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') return false;
    throw err;
  }
}

export function safeUnlink(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return false;
    throw err;
  }
}

/** Modification time in ms of a path without following a symlink, or null if absent. */
export function mtimeMs(path: string): number | null {
  try {
    return lstatSync(path).mtimeMs;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return null;
    throw err;
  }
}
