import { currentActor } from './core/audit.js';
import { CoreGuard, type RequestOutcome, type WaitOutcome } from './core/guard.js';
import type { Delivery } from './core/delivery/port.js';
import type { Operation } from './core/operation.js';
import { loadConfig } from './config/load.js';
import type { ConfigInput } from './config/schema.js';

/**
 * The library entry point, for headless backends (the Rublon pattern): ask for
 * approval, wait for the human, then act once.
 *
 *   const guard = await createGuard();
 *   const op = { tier: 'delete', action: 'refund', summary: 'Refund 10 EUR to cus_1', params: { amount: 10, customer: 'cus_1' } };
 *   await guard.request(op);                          // emails a code to the human
 *   const { status } = await guard.waitForGrant(op, { timeoutMs: 300_000 });
 *   if (status === 'granted' && guard.consume(op)) await refund(10, 'cus_1');
 */
export interface CreateGuardOptions {
  /** Where to look for configuration and the project root (default: process.cwd()). */
  readonly cwd?: string;
  /** Load this configuration file instead of searching for one. */
  readonly configFile?: string;
  /** Use this configuration object instead of any file; validated like a file. */
  readonly config?: ConfigInput;
  /** Deliver codes through your own channel instead of the configured provider. */
  readonly delivery?: Delivery;
  /** Recorded in the audit log as the actor (default "library"). */
  readonly actor?: string;
}

export type Guard = CoreGuard & {
  /** request(), then waitForGrant(), then consume(): true means run the operation now, once. */
  approve(op: Operation, opts?: { timeoutMs?: number; signal?: AbortSignal; reason?: string; details?: string }): Promise<{ approved: boolean; request: RequestOutcome; wait?: WaitOutcome }>;
};

export async function createGuard(opts: CreateGuardOptions = {}): Promise<Guard> {
  const loaded = await loadConfig({
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    ...(opts.configFile ? { file: opts.configFile } : {}),
    ...(opts.config !== undefined ? { inline: opts.config } : {}),
  });
  const guard = new CoreGuard({
    config: loaded.config,
    root: loaded.root,
    actor: currentActor(opts.actor ?? 'library'),
    delivery: opts.delivery,
  });
  return Object.assign(guard, {
    async approve(op: Operation, o: { timeoutMs?: number; signal?: AbortSignal; reason?: string; details?: string } = {}) {
      const request = await guard.request(op, { ...(o.reason ? { reason: o.reason } : {}), ...(o.details ? { details: o.details } : {}) });
      if (request.status === 'locked' || request.status === 'limited') return { approved: false, request };
      const wait = request.status === 'granted' ? ({ status: 'granted' } as const) : await guard.waitForGrant(op, o);
      return { approved: wait.status === 'granted' && guard.consume(op), request, wait };
    },
  });
}
