import type { Deadline } from './deadline.js';
import { type HttpAnswer, type HttpCall, type TransportOptions, httpCall } from './https.js';

/**
 * One retry for answers that say "later": 429 and 5xx. It waits as long as the provider
 * asks (Retry-After, or the header that provider documents instead, such as SendGrid's
 * X-RateLimit-Reset), but only when that wait and a second attempt fit in what is left
 * of the deadline; otherwise it gives up at once and says why. A retried send may
 * deliver twice: harmless, both emails carry the same code.
 */
const MIN_ATTEMPT_MS = 1000;
const DEFAULT_WAIT_MS = { rate: 1000, server: 500 };

export interface Attempted {
  readonly answer: HttpAnswer;
  /** What the retry policy did, for the error message: "again after one retry". */
  readonly note?: string | undefined;
}

/** How long an answer asked to wait, and the header that said so. */
export interface AskedWait {
  readonly ms: number;
  readonly header: string;
}

export type WaitReader = (a: HttpAnswer, now?: number) => AskedWait | undefined;

/** The HTTP standard's way to ask for a wait: Retry-After. */
export const retryAfter: WaitReader = (a, now) => {
  const ms = retryAfterMs(a.headers['retry-after'], now);
  return ms === undefined ? undefined : { ms, header: 'Retry-After' };
};

export async function callWithRetry(call: HttpCall, label: string, deadline: Deadline, t: TransportOptions, asked: WaitReader = retryAfter): Promise<Attempted> {
  const first = await httpCall(call, label, deadline, t);
  if (!retryable(first.status)) return { answer: first };
  const ask = asked(first);
  const wait = ask?.ms ?? (first.status === 429 ? DEFAULT_WAIT_MS.rate : DEFAULT_WAIT_MS.server);
  const left = deadline.remaining();
  if (wait + MIN_ATTEMPT_MS > left) {
    const asking = ask === undefined ? 'a retry' : `a retry after ${Math.ceil(ask.ms / 1000)} s (${ask.header})`;
    return { answer: first, note: `it asked for ${asking}, which does not fit in the ${Math.floor(left / 1000)} s left of the ${deadline.describe()} delivery time limit` };
  }
  await new Promise((r) => setTimeout(r, wait));
  const second = await httpCall(call, label, deadline, t);
  return { answer: second, ...(retryable(second.status) ? { note: 'again after one retry' } : {}) };
}

function retryable(status: number): boolean {
  return status === 429 || status >= 500;
}

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value)?.trim();

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 10.2.3); undefined if absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = first(value);
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A reset time given as Unix epoch seconds (SendGrid's X-RateLimit-Reset): the wait until then. */
export function epochResetMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = first(value);
  return v && /^\d+$/.test(v) ? Math.max(0, Number(v) * 1000 - now) : undefined;
}
