import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { GuardError } from './errors.js';
import { withLock } from './lib/lock.js';
import { readPrivateFile, writeFileAtomic } from './lib/safe-fs.js';
import { isSealed, seal } from './seal.js';
import type { Tier } from './config.js';

/**
 * The audit log: append-only JSONL in the state dir. Each line carries the SHA-256
 * of the line before it and an HMAC keyed from the pepper, and `audit.head` remembers
 * the last line, so `theguard audit --verify` can name the first line that was
 * altered, removed or cut off. No entry ever holds a code: the code never reaches here.
 */
export const AUDIT_EVENTS = [
  'requested',
  'delivered',
  'delivery_failed',
  'fallback_used',
  'verify_failed',
  'locked_out',
  'granted',
  'consumed',
  'expired',
  'blocked',
  'revoked',
  'state_invalid',
] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

export interface Actor {
  /** Which entry point acted: "cli:verify", "hook:pre-push", "library", ... */
  readonly via: string;
  readonly user: string;
  readonly host: string;
  readonly pid: number;
  readonly session?: string | undefined;
}

export function currentActor(via: string, session?: string): Actor {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the uid still identifies the actor.
    user = `uid:${process.getuid?.() ?? '?'}`;
  }
  return { via, user, host: hostname(), pid: process.pid, ...(session ? { session } : {}) };
}

export interface AuditFields {
  readonly tier?: Tier | undefined;
  readonly summary?: string | undefined;
  readonly fingerprint?: string | undefined;
  readonly id?: string | undefined;
  readonly detail?: string | undefined;
}

export interface AuditEntry extends AuditFields {
  readonly seq: number;
  readonly ts: string;
  readonly event: AuditEvent;
  readonly actor: Actor;
  readonly prev: string;
  /**
   * Set when this line was appended to a log whose end could not be confirmed (audit.head
   * missing, altered, or ahead of the log): lines before it may have been cut off. Sealed
   * into the line, so the next append cannot paper over a cut by writing a fresh head.
   */
  readonly gap?: string;
  readonly mac: string;
}

export interface AuditCheck {
  readonly ok: boolean;
  readonly lines: number;
  /** The first problem, with its 1-based line number. */
  readonly problem?: { readonly line: number; readonly reason: string };
  /** What the human can do about it. */
  readonly fix?: string;
}

/** The fix for every broken log: the evidence stays, a new chain starts beside it. */
export const AUDIT_FIX =
  'keep audit.jsonl and audit.head as evidence and find out what changed them (an agent, a restore from backup, a disk error); ' +
  'to start a new, verifiable log, move both files out of the state dir: theguard then begins a fresh chain';

const GENESIS = '0'.repeat(64);
const TAIL_CHUNK = 16 * 1024;
const MAX_DETAIL = 500;

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export class AuditLog {
  readonly path: string;
  private readonly headPath: string;
  private readonly lockPath: string;

  constructor(stateDir: string, private readonly macKey: Buffer) {
    this.path = join(stateDir, 'audit.jsonl');
    this.headPath = join(stateDir, 'audit.head');
    this.lockPath = join(stateDir, 'audit.lock');
  }

  append(event: AuditEvent, actor: Actor, fields: AuditFields = {}): AuditEntry {
    try {
      return withLock(this.lockPath, () => this.appendLocked(event, actor, fields));
    } catch (err) {
      throw new GuardError('state', `cannot write the audit log ${this.path}: ${(err as Error).message}`,
        'check that the state dir is writable; theguard refuses to act without an audit trail', { cause: err });
    }
  }

  private appendLocked(event: AuditEvent, actor: Actor, fields: AuditFields): AuditEntry {
    const fd = openSync(this.path, constants.O_RDWR | constants.O_CREAT | constants.O_APPEND | (constants.O_NOFOLLOW ?? 0), 0o600);
    try {
      const { line: last, endsWithNewline } = readLastLine(fd);
      const lastSeq = last === null ? 0 : seqOf(last);
      const gap = tailProblem(this.readHead(), lastSeq, last === null ? GENESIS : sha256(last), last === null ? GENESIS : prevOf(last));
      const body = stripUndefined({
        seq: lastSeq + 1,
        ts: new Date().toISOString(),
        event,
        actor: stripUndefined({ ...actor }),
        ...fields,
        detail: fields.detail === undefined ? undefined : fields.detail.slice(0, MAX_DETAIL),
        prev: last === null ? GENESIS : sha256(last),
        gap: gap ?? undefined,
      });
      const entry = seal(body, this.macKey) as AuditEntry;
      const text = JSON.stringify(entry);
      // A torn or foreign last line without a newline stays a line of its own; verify will name it.
      writeSync(fd, `${last !== null && !endsWithNewline ? '\n' : ''}${text}\n`);
      writeFileAtomic(this.headPath, JSON.stringify(seal({ seq: entry.seq, hash: sha256(text) }, this.macKey)));
      return entry;
    } finally {
      closeSync(fd);
    }
  }

  /** All lines that parse; a line that does not parse is skipped here (verify reports it). */
  read(): AuditEntry[] {
    return this.lines().flatMap((l) => {
      try {
        return [JSON.parse(l) as AuditEntry];
      } catch {
        return [];
      }
    });
  }

  private lines(): string[] {
    const buf = readPrivateFile(this.path, 512 * 1024 * 1024);
    if (buf === null) return [];
    const text = buf.toString('utf8');
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines;
  }

  /**
   * Walk the chain and name the first line that was altered, removed, or cut off. What it
   * cannot see: the log and audit.head deleted together look like a project where theguard
   * never acted (see docs/state.md, "What the audit log can prove").
   */
  verify(): AuditCheck {
    const lines = this.lines();
    const broken = (line: number, reason: string): AuditCheck => ({ ok: false, lines: lines.length, problem: { line, reason }, fix: AUDIT_FIX });
    let prevHash = GENESIS;
    let beforeHash = GENESIS;
    let prevSeq = 0;
    for (const [i, line] of lines.entries()) {
      const n = i + 1;
      let entry: unknown;
      try {
        entry = JSON.parse(line);
      } catch {
        return broken(n, 'is not valid JSON: it was altered or torn');
      }
      if (!isSealed(entry, this.macKey)) return broken(n, 'does not match its MAC: it was altered or written by someone else');
      const e = entry as AuditEntry;
      if (e.seq !== prevSeq + 1) {
        const missing = e.seq - prevSeq - 1;
        return broken(n, missing > 0 ? `follows a gap: ${missing} line(s) before it are missing` : `repeats or reorders sequence number ${e.seq}`);
      }
      if (e.prev !== prevHash) {
        return broken(n, n === 1 ? 'does not start the chain: lines before it are missing' : `does not follow line ${n - 1}: line ${n - 1} was altered or replaced`);
      }
      if (typeof e.gap === 'string') {
        return broken(n, `was written when the end of the log could not be confirmed (${e.gap}): line(s) before it may have been cut off`);
      }
      beforeHash = prevHash;
      prevHash = sha256(line);
      prevSeq = e.seq;
    }
    const tail = tailProblem(this.readHead(), prevSeq, prevHash, beforeHash);
    return tail ? broken(lines.length + 1, tail) : { ok: true, lines: lines.length };
  }

  private readHead(): { seq: number; hash: string } | null | 'invalid' {
    let buf: Buffer | null;
    try {
      buf = readPrivateFile(this.headPath, 4096);
    } catch {
      return 'invalid';
    }
    if (buf === null) return null;
    try {
      const head = JSON.parse(buf.toString('utf8')) as { seq: number; hash: string };
      return isSealed(head, this.macKey) ? head : 'invalid';
    } catch {
      return 'invalid';
    }
  }
}

/**
 * Does audit.head agree with the log's last line? One writer at a time (the lock) writes
 * the line, then the head; a crash in between leaves the head exactly one line behind,
 * which is accepted when it names the line before the last. Anything else means lines
 * were cut off, the head was deleted or replaced, or the last line was swapped.
 * `lastHash` is the SHA-256 of the last line, `beforeHash` that of the line before it.
 */
function tailProblem(head: { seq: number; hash: string } | null | 'invalid', lastSeq: number, lastHash: string, beforeHash: string): string | null {
  if (head === 'invalid') return 'audit.head was altered or replaced: the end of the log cannot be confirmed';
  if (head === null) {
    return lastSeq === 0 ? null : `audit.head is missing while the log has ${lastSeq} line(s): lines cut off the end together with it could not be noticed`;
  }
  if (head.seq > lastSeq) return `the log ends early: audit.head records line ${head.seq}, the log has ${lastSeq}; the last line(s) were removed`;
  if (head.seq === lastSeq) return head.hash === lastHash ? null : `the last line is not the one audit.head records: it was replaced`;
  if (head.seq === lastSeq - 1 && head.hash === beforeHash) return null;
  return `audit.head records line ${head.seq}, but the log goes on to line ${lastSeq}: audit.head was replaced by an older copy or lines were rewritten`;
}

/** The `prev` hash a line carries: the hash of the line before it. */
function prevOf(line: string): string {
  try {
    const prev = (JSON.parse(line) as { prev?: unknown }).prev;
    return typeof prev === 'string' ? prev : '';
  } catch {
    return '';
  }
}

function seqOf(line: string): number {
  try {
    const seq = (JSON.parse(line) as { seq?: unknown }).seq;
    return typeof seq === 'number' && Number.isSafeInteger(seq) && seq > 0 ? seq : 0;
  } catch {
    return 0;
  }
}

/** The last line of an open file, read backwards in chunks (lines are small). */
function readLastLine(fd: number): { line: string | null; endsWithNewline: boolean } {
  const size = fstatSync(fd).size;
  if (size === 0) return { line: null, endsWithNewline: true };
  const lastByte = Buffer.alloc(1);
  readSync(fd, lastByte, 0, 1, size - 1);
  const endsWithNewline = lastByte[0] === 0x0a;
  let start = endsWithNewline ? size - 1 : size;
  let tail = Buffer.alloc(0);
  // A last line longer than this is foreign anyway; chaining onto its tail is enough.
  while (start > 0 && tail.length < 4 * 1024 * 1024) {
    const from = Math.max(0, start - TAIL_CHUNK);
    const chunk = Buffer.alloc(start - from);
    readSync(fd, chunk, 0, chunk.length, from);
    tail = Buffer.concat([chunk, tail]);
    start = from;
    const nl = tail.lastIndexOf(0x0a);
    if (nl >= 0) return { line: tail.subarray(nl + 1).toString('utf8'), endsWithNewline };
  }
  return { line: tail.toString('utf8'), endsWithNewline };
}
