import { randomBytes, randomInt } from 'node:crypto';
import { readdirSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Actor, AuditEvent, AuditFields } from './audit.js';
import { generateCode } from './code.js';
import type { RateLimitPolicy, Tier, TierPolicy } from './config.js';
import { SendLog } from './send-log.js';
import { GuardError, errnoCode } from './errors.js';
import { type Operation, fingerprintOf, multiLine, oneLine } from './operation.js';
import type { Keys } from './pepper.js';
import {
  claimFile,
  createFileExclusive,
  createMarker,
  ensurePrivateDir,
  mtimeMs,
  readPrivateFile,
  restoreClaim,
  safeUnlink,
  UnsafeFileError,
  writeFileAtomic,
} from './lib/safe-fs.js';
import { type Sealed, isSealed, seal } from './seal.js';
import { type Verifier, checkVerifier, makeVerifier } from './verifier.js';

/**
 * The clearance store: where a code's verifier is stored, checked and turned into a
 * single-use grant, across processes, with files only.
 *
 *   pending/<fingerprint>.json   one pending clearance per operation (verifier, expiry, limits)
 *   attempts/<id>.<k>            attempt k at clearance <id>; created O_EXCL, so each attempt
 *                                number is taken by exactly one process, however many race
 *   grants/<fingerprint>.json    a grant; consumed by one rename, so it is used at most once
 *   spent/<grantId>              a consumed grant, so a copy put back later is refused
 *   lockouts/<tier>.json         a tier-wide lockout after a code ran out of attempts
 *   quarantine/                  files that failed their checks, kept for inspection
 *
 * Every record is sealed (HMAC keyed from the pepper). A file that is torn, corrupt,
 * foreign, symlinked or unsealed is invalid: it is never a grant and never a clearance.
 */

/** Upper bounds the schema enforces; GC uses them to know when leftovers are surely dead. */
export const MAX_CODE_TTL_SECONDS = 3600;
export const MAX_GRANT_TTL_SECONDS = 3600;
const MAX_RECORD_BYTES = 256 * 1024;
const MAX_DETAILS = 16 * 1024;
const ID_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export interface ClearanceFields {
  readonly v: 1;
  readonly kind: 'pending';
  readonly id: string;
  readonly tier: Tier;
  readonly action: string;
  readonly summary: string;
  readonly params: Operation['params'];
  readonly fingerprint: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly maxAttempts: number;
  readonly cooldownSeconds: number;
  readonly lockoutSeconds: number;
  readonly verifier: Verifier;
  readonly requestedBy: Actor;
  readonly reason?: string;
  /** Extra lines for the human (commits, diffstat, ...): shown, sealed, not fingerprinted. */
  readonly details?: string;
}
export type Clearance = Sealed<ClearanceFields>;

export interface GrantFields {
  readonly v: 1;
  readonly kind: 'grant';
  readonly grantId: string;
  readonly clearanceId: string;
  readonly tier: Tier;
  readonly action: string;
  readonly summary: string;
  readonly fingerprint: string;
  readonly grantedAt: number;
  readonly expiresAt: number;
  readonly grantedBy: Actor;
}
export type Grant = Sealed<GrantFields>;

export interface LockoutFields {
  readonly v: 1;
  readonly kind: 'lockout';
  readonly tier: Tier;
  readonly since: number;
  readonly until: number;
  readonly cause: string;
}
export type Lockout = Sealed<LockoutFields>;

export interface RequestOptions {
  /** The human asked for a fresh code: revoke the pending one first. */
  readonly replace?: boolean;
  /** Why the caller wants this (shown and audited, not fingerprinted). */
  readonly reason?: string;
  /** Extra lines for the human, e.g. commit subjects and a diffstat (shown, not fingerprinted). */
  readonly details?: string;
  /** The agent session asking (Claude Code's session_id), for the per-session cap on new codes. */
  readonly session?: string | undefined;
}

export type RequestResult =
  | { readonly status: 'created'; readonly clearance: Clearance; readonly code: string }
  | { readonly status: 'pending'; readonly clearance: Clearance }
  | { readonly status: 'locked'; readonly lockout: Lockout }
  /** Too many new codes recently (per session or per project): none was made. */
  | { readonly status: 'limited'; readonly scope: 'session' | 'project'; readonly limit: number; readonly until: number };

export type VerifyResult =
  | { readonly status: 'granted'; readonly clearance: Clearance; readonly grant: Grant }
  /** The guess was evaluated and was wrong. attemptsLeft 0 means the code is now revoked and the tier locked. */
  | { readonly status: 'wrong'; readonly clearance: Clearance; readonly attemptsLeft: number; readonly lockout?: Lockout }
  /** Not evaluated: the tier is locked or the code has no attempts left. */
  | { readonly status: 'locked'; readonly clearance: Clearance; readonly lockout: Lockout | null }
  /** Not evaluated: the delete tier's cooling-off window between guesses is still running. */
  | { readonly status: 'cooldown'; readonly clearance: Clearance; readonly retryAt: number }
  | { readonly status: 'expired'; readonly clearance: Clearance }
  | { readonly status: 'not_found'; readonly id: string };

export type ConsumeResult =
  | { readonly ok: true; readonly grant: Grant }
  | { readonly ok: false; readonly reason: 'none' | 'invalid' | 'expired' | 'mismatch' | 'replayed' };

export interface InvalidFile {
  readonly file: string;
  readonly reason: string;
}

export interface StoreOptions {
  readonly stateDir: string;
  readonly keys: () => Keys;
  readonly policy: Readonly<Record<Tier, TierPolicy>>;
  readonly grantTtlSeconds: number;
  readonly rateLimit: RateLimitPolicy;
  readonly actor: Actor;
  /** Every event goes to the audit log; if that write fails, the action fails (closed). */
  readonly record: (event: AuditEvent, fields: AuditFields) => void;
}

type ReadResult<T> = { readonly ok: true; readonly rec: T } | { readonly ok: false; readonly reason: string } | null;

export class ClearanceStore {
  readonly dir: string;
  private readonly d: Record<'pending' | 'attempts' | 'grants' | 'spent' | 'lockouts' | 'quarantine', string>;

  constructor(private readonly o: StoreOptions) {
    this.dir = o.stateDir;
    this.d = {
      pending: join(o.stateDir, 'pending'),
      attempts: join(o.stateDir, 'attempts'),
      grants: join(o.stateDir, 'grants'),
      spent: join(o.stateDir, 'spent'),
      lockouts: join(o.stateDir, 'lockouts'),
      quarantine: join(o.stateDir, 'quarantine'),
    };
  }

  /** Create the state dir (0700, git-ignored) and its subdirectories. */
  init(): void {
    try {
      ensurePrivateDir(this.dir);
      for (const d of Object.values(this.d)) ensurePrivateDir(d);
      this.ensureGitIgnore();
    } catch (err) {
      if (errnoCode(err) === 'EEXIST') return;
      const detail = err instanceof Error ? err.message : String(err);
      throw new GuardError('state', `cannot use the state dir ${this.dir}: ${detail}`,
        'make it a real directory owned by you (not a symlink), or point "stateDir" elsewhere', { cause: err });
    }
  }

  /**
   * The state dir ignores itself, so nothing in it is ever committed. Written whole (temp
   * file, then link) like every other state file: a crash mid-write leaves no file, which
   * the next run writes, rather than an empty one that would stay. One that lost its `*`
   * line (torn by an older version, edited, replaced by a symlink) is written again.
   */
  private ensureGitIgnore(): void {
    const path = join(this.dir, '.gitignore');
    const text = '# theguard state: never commit it\n*\n';
    let current: Buffer | null;
    try {
      current = readPrivateFile(path, 64 * 1024);
    } catch (err) {
      if (!(err instanceof UnsafeFileError)) throw err;
      current = Buffer.alloc(0);
    }
    if (current === null) createFileExclusive(path, text);
    else if (!/^\*$/m.test(current.toString('utf8'))) writeFileAtomic(path, text);
  }

  // ---------------------------------------------------------------- request

  /**
   * Open a clearance for an operation. If one is already pending for the same
   * fingerprint, it is returned and no new code is made: the human may be typing it.
   * `replace` (the human's `theguard resend`) revokes the pending one first.
   */
  async request(op: Operation, opts: RequestOptions = {}): Promise<RequestResult> {
    const lockout = this.activeLockout(op.tier);
    if (lockout) return { status: 'locked', lockout };
    const fingerprint = fingerprintOf(op);
    const path = this.pendingPath(fingerprint);
    let replace = opts.replace === true;
    for (let round = 0; round < 5; round++) {
      const cur = this.readPending(path);
      if (cur?.ok === false) {
        this.quarantine(path, cur.reason);
      } else if (cur?.ok) {
        const live = cur.rec.expiresAt > Date.now();
        if (live && !replace) return { status: 'pending', clearance: cur.rec };
        // A resend over the cap must leave the pending code alive: check before revoking it.
        const capped = live ? this.overCap(op, fingerprint, opts.session) : null;
        if (capped) return capped;
        const event = live ? 'revoked' : 'expired';
        const removed = this.removePending(cur.rec, event, live ? 'replaced by a new code at the human\'s request' : undefined);
        // Replace at most once: if someone else swapped the file meanwhile, theirs stands.
        replace = false;
        if (!removed) continue;
      }
      // Only a new code counts against the caps: pointing to a pending one is free.
      const capped = this.overCap(op, fingerprint, opts.session);
      if (capped) return capped;
      const created = await this.create(op, fingerprint, opts);
      if (created) {
        new SendLog(this.dir, this.o.rateLimit).record(opts.session);
        return { status: 'created', ...created };
      }
      // Another process created one first; the next round returns it as pending.
    }
    throw new GuardError('state', `could not open a clearance for "${op.summary}": the pending file kept changing under us`,
      'run the operation again; if this repeats, check what else writes to the state dir');
  }

  /** Over a new-code cap: the refusal, recorded as blocked; otherwise null. */
  private overCap(op: Operation, fingerprint: string, session: string | undefined): RequestResult | null {
    const allowed = new SendLog(this.dir, this.o.rateLimit).check(session);
    if (allowed.ok) return null;
    this.o.record('blocked', { tier: op.tier, summary: op.summary, fingerprint, detail: `no new code until ${new Date(allowed.until).toISOString()}: ${allowed.limit} codes per ${this.o.rateLimit.windowSeconds} s ${allowed.scope === 'session' ? 'for this session' : 'for this project'} were already sent` });
    return { status: 'limited', scope: allowed.scope, limit: allowed.limit, until: allowed.until };
  }

  private async create(op: Operation, fingerprint: string, opts: RequestOptions): Promise<{ clearance: Clearance; code: string } | null> {
    const reason = opts.reason ? oneLine(opts.reason, 500) : undefined;
    const policy = this.o.policy[op.tier];
    const keys = this.o.keys();
    const code = generateCode();
    const now = Date.now();
    const fields: ClearanceFields = {
      v: 1,
      kind: 'pending',
      id: newId(),
      tier: op.tier,
      action: op.action,
      summary: op.summary,
      params: op.params,
      fingerprint,
      createdAt: now,
      expiresAt: now + policy.codeTtlSeconds * 1000,
      maxAttempts: policy.maxAttempts,
      cooldownSeconds: policy.cooldownSeconds,
      lockoutSeconds: policy.lockoutSeconds,
      verifier: await makeVerifier(code, keys.pepper),
      requestedBy: this.o.actor,
      ...(reason ? { reason } : {}),
      ...(opts.details ? { details: multiLine(opts.details, MAX_DETAILS) } : {}),
    };
    const clearance = seal(fields, keys.macKey);
    if (!createFileExclusive(this.pendingPath(fingerprint), JSON.stringify(clearance))) return null;
    this.audit('requested', clearance, reason ? `reason: ${reason}` : undefined);
    return { clearance, code };
  }

  // ---------------------------------------------------------------- verify

  /** Check a code a human typed against one pending clearance. */
  async verify(code: string, id: string): Promise<VerifyResult> {
    const found = this.findById(id);
    if (!found) return { status: 'not_found', id };
    const c = found;
    if (c.expiresAt <= Date.now()) {
      this.removePending(c, 'expired');
      return { status: 'expired', clearance: c };
    }
    const lockout = this.activeLockout(c.tier);
    if (lockout) return { status: 'locked', clearance: c, lockout };

    const slot = this.takeAttempt(c);
    if (slot.kind === 'cooldown') return { status: 'cooldown', clearance: c, retryAt: slot.retryAt };
    if (slot.kind === 'exhausted') {
      // Normally the process holding the last attempt revokes the code when its guess fails.
      // If that attempt is old, that process died first: finish its job.
      const last = mtimeMs(this.attemptPath(c.id, c.maxAttempts));
      if (last !== null && Date.now() - last > 30_000 && this.removePending(c, 'revoked', 'no attempts left')) {
        return { status: 'locked', clearance: c, lockout: this.startLockout(c) };
      }
      return { status: 'locked', clearance: c, lockout: this.activeLockout(c.tier) };
    }

    const keys = this.o.keys();
    const right = await checkVerifier(code, keys.pepper, c.verifier);
    if (right) return this.grant(c);

    const attemptsLeft = c.maxAttempts - slot.k;
    this.audit('verify_failed', c, `attempt ${slot.k} of ${c.maxAttempts}`);
    if (attemptsLeft > 0) return { status: 'wrong', clearance: c, attemptsLeft };
    this.removePending(c, 'revoked', `all ${c.maxAttempts} attempts failed`);
    const lock = this.startLockout(c);
    return { status: 'wrong', clearance: c, attemptsLeft: 0, lockout: lock };
  }

  /**
   * Take the next attempt number by creating its file with O_EXCL. However many
   * processes race, each number goes to one of them, so at most maxAttempts guesses
   * are ever evaluated. The cooldown is checked against the previous attempt's time
   * before taking a number, so a guess refused for cooldown costs nothing.
   */
  private takeAttempt(c: Clearance): { kind: 'slot'; k: number } | { kind: 'cooldown'; retryAt: number } | { kind: 'exhausted' } {
    for (let k = 1; k <= c.maxAttempts; k++) {
      const path = this.attemptPath(c.id, k);
      if (mtimeMs(path) !== null) continue;
      if (k > 1 && c.cooldownSeconds > 0) {
        const previous = mtimeMs(this.attemptPath(c.id, k - 1));
        const retryAt = (previous ?? 0) + c.cooldownSeconds * 1000;
        if (previous !== null && Date.now() < retryAt) return { kind: 'cooldown', retryAt };
      }
      if (createMarker(path)) return { kind: 'slot', k };
    }
    return { kind: 'exhausted' };
  }

  private grant(c: Clearance): VerifyResult {
    const keys = this.o.keys();
    const path = this.pendingPath(c.fingerprint);
    // Only the process that claims the pending file may turn it into a grant.
    const claimed = claimFile(path);
    if (!claimed) return { status: 'expired', clearance: c };
    const mine = this.readRecord<Clearance>(claimed, 'pending');
    if (!mine?.ok || mine.rec.id !== c.id) {
      if (mine?.ok) restoreClaim(claimed, path);
      else this.quarantine(claimed, mine?.reason ?? 'vanished');
      return { status: 'expired', clearance: c };
    }
    const now = Date.now();
    if (c.expiresAt <= now) {
      safeUnlink(claimed);
      this.dropAttempts(c.id);
      this.audit('expired', c, 'the code was right but arrived after expiry');
      return { status: 'expired', clearance: c };
    }
    const grant = seal<GrantFields>(
      {
        v: 1,
        kind: 'grant',
        grantId: randomBytes(12).toString('base64url'),
        clearanceId: c.id,
        tier: c.tier,
        action: c.action,
        summary: c.summary,
        fingerprint: c.fingerprint,
        grantedAt: now,
        expiresAt: now + this.o.grantTtlSeconds * 1000,
        grantedBy: this.o.actor,
      },
      keys.macKey,
    );
    writeFileAtomic(this.grantPath(c.fingerprint), JSON.stringify(grant));
    safeUnlink(claimed);
    this.dropAttempts(c.id);
    this.audit('granted', c, `grant valid for ${this.o.grantTtlSeconds} s, once`);
    return { status: 'granted', clearance: c, grant };
  }

  // ---------------------------------------------------------------- consume

  /**
   * Use the grant for an operation, at most once. The rename is the decision: of any
   * number of racing consumers exactly one gets the file; it then checks the seal, the
   * fingerprint and the expiry, and records the grant as spent.
   */
  consume(op: Operation): ConsumeResult {
    const fingerprint = fingerprintOf(op);
    const claimed = claimFile(this.grantPath(fingerprint));
    if (!claimed) return { ok: false, reason: 'none' };
    const res = this.readRecord<Grant>(claimed, 'grant');
    if (!res?.ok) {
      this.quarantine(claimed, res?.reason ?? 'vanished');
      return { ok: false, reason: 'invalid' };
    }
    safeUnlink(claimed);
    const g = res.rec;
    const fields = { tier: g.tier, summary: g.summary, fingerprint: g.fingerprint, id: g.clearanceId };
    if (g.fingerprint !== fingerprint) {
      this.o.record('state_invalid', { ...fields, detail: `a grant for another operation sat under ${fingerprint}` });
      return { ok: false, reason: 'mismatch' };
    }
    if (g.expiresAt <= Date.now()) {
      this.o.record('expired', { ...fields, detail: 'grant expired before it was used' });
      return { ok: false, reason: 'expired' };
    }
    if (!createMarker(join(this.d.spent, g.grantId))) {
      this.o.record('state_invalid', { ...fields, detail: 'a grant that was already used was put back (replay)' });
      return { ok: false, reason: 'replayed' };
    }
    this.o.record('consumed', fields);
    return { ok: true, grant: g };
  }

  /** A usable grant for this operation exists (read only; consume() is what uses it). */
  hasGrant(op: Operation): boolean {
    const fp = fingerprintOf(op);
    const res = this.readRecord<Grant>(this.grantPath(fp), 'grant');
    return res?.ok === true && res.rec.fingerprint === fp && res.rec.expiresAt > Date.now();
  }

  // ---------------------------------------------------------------- queries

  pendingFor(op: Operation): Clearance | null {
    const res = this.readPending(this.pendingPath(fingerprintOf(op)));
    return res?.ok && res.rec.expiresAt > Date.now() ? res.rec : null;
  }

  listPending(): { clearances: Clearance[]; invalid: InvalidFile[] } {
    const clearances: Clearance[] = [];
    const invalid: InvalidFile[] = [];
    for (const name of this.names(this.d.pending)) {
      const res = this.readPending(join(this.d.pending, name));
      if (res?.ok) clearances.push(res.rec);
      else if (res) invalid.push({ file: join(this.d.pending, name), reason: res.reason });
    }
    clearances.sort((a, b) => a.createdAt - b.createdAt);
    return { clearances, invalid };
  }

  listGrants(): Grant[] {
    return this.names(this.d.grants).flatMap((name) => {
      const res = this.readRecord<Grant>(join(this.d.grants, name), 'grant');
      return res?.ok && res.rec.expiresAt > Date.now() ? [res.rec] : [];
    });
  }

  listLockouts(): Lockout[] {
    return (['push', 'delete'] as const).flatMap((t) => {
      const l = this.activeLockout(t);
      return l ? [l] : [];
    });
  }

  /** How many attempt numbers have been taken (the highest existing one). */
  attemptsUsed(c: Clearance): number {
    let used = 0;
    for (let k = 1; k <= c.maxAttempts; k++) if (mtimeMs(this.attemptPath(c.id, k)) !== null) used = k;
    return used;
  }

  findById(id: string): Clearance | null {
    return this.listPending().clearances.find((c) => c.id === id) ?? null;
  }

  /** The human declined, or asked for a new code: the pending code dies now. */
  revoke(c: Clearance, why: string): boolean {
    return this.removePending(c, 'revoked', why);
  }

  // ---------------------------------------------------------------- lockouts

  activeLockout(tier: Tier): Lockout | null {
    const path = join(this.d.lockouts, `${tier}.json`);
    const res = this.readRecord<Lockout>(path, 'lockout');
    if (res === null) return null;
    if (!res.ok) {
      // Fail closed: a lockout file we cannot trust is replaced by a fresh, full lockout.
      this.quarantine(path, res.reason);
      return this.writeLockout(tier, this.o.policy[tier].lockoutSeconds, 'the previous lockout file was invalid');
    }
    if (res.rec.tier !== tier) {
      this.quarantine(path, 'lockout for another tier');
      return this.writeLockout(tier, this.o.policy[tier].lockoutSeconds, 'the previous lockout file was for another tier');
    }
    if (res.rec.until > Date.now()) return res.rec;
    safeUnlink(path);
    return null;
  }

  private startLockout(c: Clearance): Lockout {
    const lock = this.writeLockout(c.tier, c.lockoutSeconds, `clearance ${c.id} ran out of attempts`);
    this.audit('locked_out', c, `no ${c.tier}-tier codes until ${new Date(lock.until).toISOString()}`);
    return lock;
  }

  private writeLockout(tier: Tier, seconds: number, cause: string): Lockout {
    const now = Date.now();
    const lock = seal<LockoutFields>({ v: 1, kind: 'lockout', tier, since: now, until: now + seconds * 1000, cause }, this.o.keys().macKey);
    writeFileAtomic(join(this.d.lockouts, `${tier}.json`), JSON.stringify(lock));
    return lock;
  }

  // ---------------------------------------------------------------- garbage collection

  /** Remove what has expired. Safe to run from any number of processes at once. */
  gc(): void {
    const now = Date.now();
    for (const name of this.names(this.d.pending)) {
      const path = join(this.d.pending, name);
      const res = this.readPending(path);
      if (res?.ok === false) this.quarantine(path, res.reason);
      else if (res?.ok && res.rec.expiresAt <= now) this.removePending(res.rec, 'expired');
    }
    for (const name of this.names(this.d.grants)) {
      const path = join(this.d.grants, name);
      const res = this.readRecord<Grant>(path, 'grant');
      if (res?.ok === false) this.quarantine(path, res.reason);
      if (!res?.ok || res.rec.expiresAt > now) continue;
      const claimed = claimFile(path);
      if (!claimed) continue;
      const again = this.readRecord<Grant>(claimed, 'grant');
      if (again?.ok && again.rec.grantId === res.rec.grantId) {
        safeUnlink(claimed);
        this.o.record('expired', { tier: res.rec.tier, summary: res.rec.summary, fingerprint: res.rec.fingerprint, id: res.rec.clearanceId, detail: 'grant expired unused' });
      } else if (again?.ok) restoreClaim(claimed, path);
      else safeUnlink(claimed);
    }
    // Attempt files and spent markers are only deleted once they are older than anything
    // they could still protect: deleting a live clearance's attempts would refill its guesses.
    this.sweep(this.d.attempts, (MAX_CODE_TTL_SECONDS + 60) * 1000);
    this.sweep(this.d.spent, (MAX_GRANT_TTL_SECONDS + 60) * 1000);
    for (const d of [this.d.pending, this.d.grants, this.dir]) this.sweepTemps(d);
  }

  private sweep(dir: string, olderThanMs: number): void {
    const cutoff = Date.now() - olderThanMs;
    for (const name of this.names(dir, true)) {
      const path = join(dir, name);
      const m = mtimeMs(path);
      if (m !== null && m < cutoff) safeUnlink(path);
    }
  }

  /** Leftover temp and claim files from a process that died mid-write. */
  private sweepTemps(dir: string): void {
    const cutoff = Date.now() - 3600_000;
    for (const name of this.names(dir, true)) {
      if (!/^\.(tmp|new|claim)-/.test(name)) continue;
      const path = join(dir, name);
      const m = mtimeMs(path);
      if (m !== null && m < cutoff) safeUnlink(path);
    }
  }

  // ---------------------------------------------------------------- internals

  /**
   * Remove one specific pending clearance. The path may meanwhile hold a newer
   * clearance for the same operation; then it is put back and false is returned.
   */
  private removePending(c: Clearance, event: AuditEvent, detail?: string): boolean {
    const path = this.pendingPath(c.fingerprint);
    const claimed = claimFile(path);
    if (!claimed) return false;
    const res = this.readRecord<Clearance>(claimed, 'pending');
    if (res?.ok && res.rec.id !== c.id) {
      restoreClaim(claimed, path);
      return false;
    }
    if (!res?.ok) {
      this.quarantine(claimed, res?.reason ?? 'vanished');
      return false;
    }
    safeUnlink(claimed);
    this.dropAttempts(c.id);
    this.audit(event, c, detail);
    return true;
  }

  private dropAttempts(id: string): void {
    for (const name of this.names(this.d.attempts, true)) {
      if (name.startsWith(`${id}.`)) safeUnlink(join(this.d.attempts, name));
    }
  }

  private readPending(path: string): ReadResult<Clearance> {
    const res = this.readRecord<Clearance>(path, 'pending');
    if (res?.ok && basename(path) !== `${res.rec.fingerprint}.json` && !basename(path).startsWith('.claim-')) {
      return { ok: false, reason: 'its fingerprint does not match its file name' };
    }
    return res;
  }

  /** Read and check one state record. null: no file. ok=false: present but not trustworthy. */
  private readRecord<T>(path: string, kind: 'pending' | 'grant' | 'lockout'): ReadResult<T> {
    let buf: Buffer | null;
    try {
      buf = readPrivateFile(path, MAX_RECORD_BYTES);
    } catch (err) {
      if (err instanceof UnsafeFileError) return { ok: false, reason: err.message };
      throw new GuardError('state', `cannot read ${path}: ${(err as Error).message}`, 'check the state dir permissions', { cause: err });
    }
    if (buf === null) return null;
    let value: unknown;
    try {
      value = JSON.parse(buf.toString('utf8'));
    } catch {
      return { ok: false, reason: buf.length === 0 ? 'it is empty (torn write)' : 'it is not valid JSON (torn or corrupt)' };
    }
    if (!isSealed(value, this.o.keys().macKey)) {
      return { ok: false, reason: 'its seal does not match: it was altered, written by hand, or made with another pepper' };
    }
    if (!hasShape(value, kind)) return { ok: false, reason: `it is not a ${kind} record` };
    return { ok: true, rec: value as T };
  }

  /**
   * Move a file that failed its checks aside (kept, not deleted) and say so in the audit
   * log. A shared path is claimed and checked again first, so a valid file that replaced
   * the bad one in the meantime is put back rather than thrown away.
   */
  private quarantine(path: string, reason: string): void {
    let taken = path;
    if (!basename(path).startsWith('.claim-')) {
      const claimed = claimFile(path);
      if (!claimed) return;
      const kind = basename(join(path, '..')) === 'grants' ? 'grant' : basename(join(path, '..')) === 'lockouts' ? 'lockout' : 'pending';
      if (this.readRecord(claimed, kind)?.ok) {
        restoreClaim(claimed, path);
        return;
      }
      taken = claimed;
    }
    const dest = join(this.d.quarantine, `${Date.now()}-${basename(path).replace(/^\.claim-/, '')}-${randomBytes(3).toString('hex')}`);
    try {
      renameSync(taken, dest);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return;
      throw err;
    }
    this.o.record('state_invalid', { detail: `${basename(path)}: ${reason}; moved to ${dest}` });
  }

  private audit(event: AuditEvent, c: Clearance, detail?: string): void {
    this.o.record(event, { tier: c.tier, summary: c.summary, fingerprint: c.fingerprint, id: c.id, detail });
  }

  private names(dir: string, includeHidden = false): string[] {
    try {
      return readdirSync(dir).filter((n) => includeHidden || !n.startsWith('.'));
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return [];
      throw err;
    }
  }

  private pendingPath(fp: string): string {
    return join(this.d.pending, `${fp}.json`);
  }
  private grantPath(fp: string): string {
    return join(this.d.grants, `${fp}.json`);
  }
  private attemptPath(id: string, k: number): string {
    return join(this.d.attempts, `${id}.${k}`);
  }
}

function newId(): string {
  let id = '';
  for (let i = 0; i < 8; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isTier = (v: unknown): v is Tier => v === 'push' || v === 'delete';

/** Sealed records were written by us, so this only guards against our own older formats. */
function hasShape(v: unknown, kind: 'pending' | 'grant' | 'lockout'): boolean {
  const r = v as Record<string, unknown>;
  if (r.v !== 1 || r.kind !== kind || !isTier(r.tier)) return false;
  switch (kind) {
    case 'pending':
      return (
        isStr(r.id) && isStr(r.fingerprint) && isStr(r.summary) && isStr(r.action) && isNum(r.createdAt) && isNum(r.expiresAt) &&
        isNum(r.maxAttempts) && isNum(r.cooldownSeconds) && isNum(r.lockoutSeconds) && typeof r.verifier === 'object' && r.verifier !== null &&
        typeof r.params === 'object' && r.params !== null
      );
    case 'grant':
      return isStr(r.grantId) && /^[A-Za-z0-9_-]{16}$/.test(r.grantId) && isStr(r.fingerprint) && isStr(r.clearanceId) && isNum(r.grantedAt) && isNum(r.expiresAt);
    case 'lockout':
      return isNum(r.since) && isNum(r.until);
  }
}
