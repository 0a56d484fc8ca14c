import { hostname } from 'node:os';
import { type Actor, AuditLog } from './audit.js';
import { type Clearance, ClearanceStore, type Grant, type Lockout, type RequestOptions, type VerifyResult } from './clearance.js';
import type { GuardConfig, Tier } from './config.js';
import { createDelivery } from './delivery/index.js';
import { composeMessage } from './delivery/message.js';
import type { Delivery } from './delivery/port.js';
import { TerminalDelivery } from './delivery/terminal.js';
import { GuardError, describeError } from './errors.js';
import { clock, duration } from './lib/duration.js';
import { maskEmail } from './lib/mask.js';
import { type Operation, checkOperation } from './operation.js';
import { type Keys, loadKeys } from './pepper.js';

/**
 * The engine every entry point shares (CLI, hooks, library): request a clearance and
 * deliver its code, check a code, consume a grant. It adds delivery and the fail-closed
 * rules around the clearance store: if a code cannot be delivered, its clearance is
 * revoked and the operation stays blocked.
 */
export interface CoreGuardOptions {
  readonly config: GuardConfig;
  /** Project root, shown in the email. */
  readonly root: string;
  readonly actor: Actor;
  /** Replace the configured delivery (library callers with their own channel). */
  readonly delivery?: Delivery | undefined;
  readonly pepperPath?: string | undefined;
}

/** What callers may see of a clearance: never the verifier. */
export interface ClearanceView {
  readonly id: string;
  readonly tier: Tier;
  readonly action: string;
  readonly summary: string;
  readonly params: Operation['params'];
  readonly fingerprint: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly maxAttempts: number;
  readonly attemptsLeft: number;
  readonly reason?: string | undefined;
  readonly details?: string | undefined;
}

export type RequestOutcome =
  /** A new code was sent. */
  | { readonly status: 'sent'; readonly clearance: ClearanceView; readonly via: string; readonly to: string }
  /** A code for this exact operation is already out; none was sent. */
  | { readonly status: 'pending'; readonly clearance: ClearanceView; readonly to: string }
  /** A grant for this operation is waiting: consume() it. */
  | { readonly status: 'granted' }
  | { readonly status: 'locked'; readonly tier: Tier; readonly until: number }
  /** Too many new codes recently, for this session or the whole project: none was sent. */
  | { readonly status: 'limited'; readonly scope: 'session' | 'project'; readonly limit: number; readonly until: number };

/**
 * Why no code was sent when a cap was reached, in words a human (or an agent relaying)
 * can act on: the cap, and when the next code can go out (in how long, and at what time,
 * so a message read later still says when).
 */
export function limitedSentence(r: { readonly scope: 'session' | 'project'; readonly limit: number; readonly until: number }, windowSeconds: number): string {
  const who = r.scope === 'session' ? 'this agent session' : 'this project';
  return `no new code was sent: ${who} already had ${r.limit} codes in the last ${Math.round(windowSeconds / 60)} minutes (a cap that stops a looping agent flooding the inbox); the next code can be sent in ${duration(r.until - Date.now())}, at ${clock(r.until)}`;
}

export type VerifyOutcome =
  | { readonly status: 'granted'; readonly clearance: ClearanceView; readonly grantExpiresAt: number }
  | { readonly status: 'wrong'; readonly clearance: ClearanceView; readonly attemptsLeft: number; readonly lockedUntil?: number }
  | { readonly status: 'locked'; readonly clearance: ClearanceView; readonly until: number | null }
  | { readonly status: 'cooldown'; readonly clearance: ClearanceView; readonly retryAt: number }
  | { readonly status: 'expired'; readonly clearance: ClearanceView }
  | { readonly status: 'not_found'; readonly id: string };

export type WaitOutcome = { readonly status: 'granted' | 'expired' | 'locked' | 'timeout' };

export interface StatusReport {
  readonly stateDir: string;
  readonly delivery: { readonly name: string; readonly secure: boolean; readonly description: string; readonly to: string };
  readonly fallback: 'none' | 'terminal';
  readonly pending: ClearanceView[];
  readonly invalid: { readonly file: string; readonly reason: string }[];
  readonly grants: { readonly clearanceId: string; readonly tier: Tier; readonly summary: string; readonly expiresAt: number }[];
  readonly lockouts: { readonly tier: Tier; readonly until: number; readonly cause: string }[];
}

export class CoreGuard {
  readonly config: GuardConfig;
  readonly store: ClearanceStore;
  readonly delivery: Delivery;
  private keys: Keys | undefined;
  private auditLog: AuditLog | undefined;

  constructor(private readonly o: CoreGuardOptions) {
    this.config = o.config;
    this.delivery = o.delivery ?? createDelivery(o.config.email);
    const policy = { push: o.config.push, delete: o.config.delete };
    this.store = new ClearanceStore({
      stateDir: o.config.stateDir,
      keys: () => this.getKeys(),
      policy,
      grantTtlSeconds: o.config.grantTtlSeconds,
      rateLimit: o.config.rateLimit,
      actor: o.actor,
      record: (event, fields) => this.audit.append(event, o.actor, fields),
    });
  }

  /** Built on first use: it needs the pepper, which read-only paths never load. */
  get audit(): AuditLog {
    this.auditLog ??= new AuditLog(this.config.stateDir, this.getKeys().macKey);
    return this.auditLog;
  }

  getKeys(): Keys {
    this.keys ??= loadKeys(this.o.pepperPath, { projectRoot: this.o.root });
    return this.keys;
  }

  /**
   * Ask the human to approve an operation. Sends a code unless one is already out for
   * this exact operation (then it points to that one) or a grant is already waiting.
   */
  async request(input: Operation, opts: RequestOptions = {}): Promise<RequestOutcome> {
    const op = checkOperation(input);
    this.store.init();
    this.store.gc();
    if (!opts.replace && this.store.hasGrant(op)) return { status: 'granted' };
    const res = await this.store.request(op, opts);
    const to = maskEmail(this.config.email.to);
    if (res.status === 'locked') return { status: 'locked', tier: op.tier, until: res.lockout.until };
    if (res.status === 'limited') return res;
    if (res.status === 'pending') return { status: 'pending', clearance: this.view(res.clearance), to };
    const via = await this.deliver(res.code, res.clearance);
    return { status: 'sent', clearance: this.view(res.clearance), via, to };
  }

  /** Deliver a fresh code; on failure revoke its clearance so nothing waits on a code nobody has. */
  private async deliver(code: string, c: Clearance): Promise<string> {
    const message = composeMessage(code, c, {
      to: this.config.email.to,
      from: this.config.email.from,
      repository: this.o.root,
      host: hostname(),
    });
    const fields = { tier: c.tier, summary: c.summary, fingerprint: c.fingerprint, id: c.id };
    // Whatever a delivery says back (an id, an error) is audited and shown: cut the code out,
    // in case a provider, or a library caller's own delivery, echoes the message.
    const safe = (text: string): string => text.split(code).join('[redacted]');
    const fixOf = (e: unknown): string | undefined => (e instanceof GuardError ? e.fix : undefined);
    try {
      const receipt = await this.delivery.send(message);
      this.audit.append('delivered', this.o.actor, { ...fields, detail: safe(`via ${this.delivery.name}${receipt.id ? ` (${receipt.id})` : ''}`) });
      return this.delivery.name;
    } catch (err) {
      const why = safe(describeError(err));
      this.audit.append('delivery_failed', this.o.actor, { ...fields, detail: `via ${this.delivery.name}: ${why}` });
      if (this.config.emailFallback === 'terminal' && this.delivery.name !== 'terminal') {
        try {
          await new TerminalDelivery().send(message);
          this.audit.append('fallback_used', this.o.actor, { ...fields, detail: 'code shown on the controlling terminal' });
          return 'terminal';
        } catch (fallbackErr) {
          const fallbackWhy = safe(describeError(fallbackErr));
          this.audit.append('delivery_failed', this.o.actor, { ...fields, detail: `via terminal fallback: ${fallbackWhy}` });
          this.store.revoke(c, 'the code could not be delivered');
          throw new GuardError('delivery', `${why}\nThe terminal fallback failed too: ${fallbackWhy}`, 'fix the email settings (theguard config check), or run from a terminal');
        }
      }
      this.store.revoke(c, 'the code could not be delivered');
      const plain = err instanceof GuardError ? safe(err.message) : `the code could not be delivered: ${why}`;
      throw new GuardError('delivery', plain, fixOf(err) ?? 'check the email settings with `theguard config check`');
    }
  }

  /** Check a code. Without an id, the only pending request is meant; several pending need an id. */
  async verify(code: string, id?: string): Promise<VerifyOutcome> {
    this.store.init();
    if (id === undefined) {
      const pending = this.pending();
      if (pending.length !== 1) {
        throw new GuardError('usage', pending.length === 0 ? 'nothing is waiting for approval' : `${pending.length} requests are pending; say which one`,
          'pass the request id (theguard status lists them)');
      }
      id = (pending[0] as ClearanceView).id;
    }
    const r: VerifyResult = await this.store.verify(code, id);
    switch (r.status) {
      case 'not_found':
        return r;
      case 'granted':
        return { status: 'granted', clearance: this.view(r.clearance), grantExpiresAt: r.grant.expiresAt };
      case 'wrong':
        return { status: 'wrong', clearance: this.view(r.clearance), attemptsLeft: r.attemptsLeft, ...(r.lockout ? { lockedUntil: r.lockout.until } : {}) };
      case 'locked':
        return { status: 'locked', clearance: this.view(r.clearance), until: r.lockout?.until ?? null };
      case 'cooldown':
        return { status: 'cooldown', clearance: this.view(r.clearance), retryAt: r.retryAt };
      case 'expired':
        return { status: 'expired', clearance: this.view(r.clearance) };
    }
  }

  /** Use the grant for exactly this operation, once. True means: go ahead, now. */
  consume(input: Operation): boolean {
    const op = checkOperation(input);
    this.store.init();
    return this.store.consume(op).ok;
  }

  /**
   * Wait until the human approves (a grant exists), the code dies, or time runs out.
   * It does not consume the grant: call consume() right before acting.
   */
  async waitForGrant(input: Operation, opts: { timeoutMs?: number; signal?: AbortSignal; pollMs?: number } = {}): Promise<WaitOutcome> {
    const op = checkOperation(input);
    const deadline = Date.now() + (opts.timeoutMs ?? 10 * 60_000);
    const pollMs = opts.pollMs ?? 250;
    let missing = 0;
    for (;;) {
      opts.signal?.throwIfAborted();
      if (this.store.hasGrant(op)) return { status: 'granted' };
      if (this.store.pendingFor(op)) missing = 0;
      // Between a right guess and its grant, for a moment neither file exists: look twice.
      else if (++missing >= 2) return { status: this.store.activeLockout(op.tier) ? 'locked' : 'expired' };
      if (Date.now() >= deadline) return { status: 'timeout' };
      await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())), opts.signal);
    }
  }

  /** A new code for a pending operation, at the human's request; the old code dies. */
  async resend(id: string): Promise<RequestOutcome> {
    const c = this.store.findById(id);
    if (!c) throw new GuardError('usage', `no pending request has id ${id}`, 'run `theguard status` to see pending requests');
    const op: Operation = { tier: c.tier, action: c.action, summary: c.summary, params: c.params };
    return this.request(op, { replace: true, ...(c.reason ? { reason: c.reason } : {}), ...(c.details ? { details: c.details } : {}) });
  }

  /** The human declines: the code dies now and the operation stays blocked. */
  deny(id: string): boolean {
    const c = this.store.findById(id);
    if (!c) return false;
    return this.store.revoke(c, 'denied by the human');
  }

  pending(): ClearanceView[] {
    this.store.init();
    this.store.gc();
    return this.store.listPending().clearances.map((c) => this.view(c));
  }

  status(): StatusReport {
    this.store.init();
    this.store.gc();
    const { clearances, invalid } = this.store.listPending();
    return {
      stateDir: this.config.stateDir,
      delivery: { name: this.delivery.name, secure: this.delivery.secure, description: this.delivery.describe(), to: this.config.email.to },
      fallback: this.config.emailFallback,
      pending: clearances.map((c) => this.view(c)),
      invalid,
      grants: this.store.listGrants().map((g: Grant) => ({ clearanceId: g.clearanceId, tier: g.tier, summary: g.summary, expiresAt: g.expiresAt })),
      lockouts: this.store.listLockouts().map((l: Lockout) => ({ tier: l.tier, until: l.until, cause: l.cause })),
    };
  }

  view(c: Clearance): ClearanceView {
    return {
      id: c.id,
      tier: c.tier,
      action: c.action,
      summary: c.summary,
      params: c.params,
      fingerprint: c.fingerprint,
      createdAt: c.createdAt,
      expiresAt: c.expiresAt,
      maxAttempts: c.maxAttempts,
      attemptsLeft: Math.max(0, c.maxAttempts - this.store.attemptsUsed(c)),
      reason: c.reason,
      details: c.details,
    };
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
