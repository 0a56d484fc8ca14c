import type { ApiProviderName, EmailConfig } from '../config.js';
import { GuardError } from '../errors.js';
import { Deadline } from './deadline.js';
import { type ApiFailure, apiError } from './failure.js';
import type { HttpAnswer, HttpCall, TransportOptions } from './https.js';
import { httpCall } from './https.js';
import type { Delivery, Message, Receipt, ScopeFinding } from './port.js';
import { providerText } from './redact.js';
import { type WaitReader, callWithRetry, retryAfter } from './retry.js';
import { readSecret } from './secret.js';

/**
 * What every HTTPS provider shares: read the key at send time, make the request within
 * the deadline (one retry for 429 and 5xx), and turn a refusal into a GuardError that
 * names the cause. Each provider file only says how its API is spoken.
 */
export interface ApiProvider {
  readonly name: ApiProviderName;
  /** "Resend" */
  readonly label: string;
  baseUrl(email: EmailConfig): string;
  request(m: Message, key: string, base: string, email: EmailConfig): HttpCall;
  /** The receipt in a 2xx answer, or null when the answer is not what the API documents. */
  receipt(a: HttpAnswer): Receipt | null;
  /** Why a non-2xx answer refused the message. */
  failure(a: HttpAnswer): ApiFailure;
  /** How long a 429 or 5xx asked to wait, when the provider documents a header other than Retry-After. */
  readonly retryWait?: WaitReader;
  /** A request that sends no mail and tells whether the key can read sent mail back, and how to judge its answer. */
  scopeProbe(key: string, base: string, email: EmailConfig): ScopeProbe;
}

/** One probe request; its answer is a finding, or a second probe when the first could not tell. */
export interface ScopeProbe {
  readonly call: HttpCall;
  judge(a: HttpAnswer): ScopeFinding | ScopeProbe;
}

const MAX_PROBES = 2;

export class ApiDelivery implements Delivery {
  readonly name: string;
  readonly secure = true;

  constructor(private readonly p: ApiProvider, private readonly email: EmailConfig, private readonly t: TransportOptions = {}) {
    this.name = p.name;
  }

  describe(): string {
    return `${this.p.label} API at ${new URL(this.base()).host}, key from ${this.keyPlace()}`;
  }

  async send(m: Message): Promise<Receipt> {
    const deadline = new Deadline(this.email.timeoutSeconds * 1000);
    const key = this.key();
    const base = this.base();
    const { answer, note } = await callWithRetry(this.p.request(m, key, base, this.email), this.p.label, deadline, this.t, this.p.retryWait ?? retryAfter);
    if (answer.status >= 200 && answer.status < 300) {
      const receipt = this.p.receipt(answer);
      if (receipt) return receipt;
      throw apiError(this.p.label, this.keyPlace(), answer.status, { cause: 'unexpected', detail: 'without the message id its API documents' });
    }
    const f = this.p.failure(answer);
    throw apiError(this.p.label, this.keyPlace(), answer.status, { ...f, detail: f.detail && providerText(f.detail, m, [key]) }, note);
  }

  async probeKeyScope(): Promise<ScopeFinding> {
    try {
      const key = this.key();
      const deadline = new Deadline(this.email.timeoutSeconds * 1000);
      let probe = this.p.scopeProbe(key, this.base(), this.email);
      for (let n = 1; ; n++) {
        const verdict = probe.judge(await httpCall(probe.call, this.p.label, deadline, this.t));
        if (!('call' in verdict)) return { ...verdict, ...(verdict.detail ? { detail: providerText(verdict.detail, undefined, [key]) } : {}) };
        if (n >= MAX_PROBES) throw new GuardError('internal', `the ${this.p.label} key-scope probe asked for more than ${MAX_PROBES} requests`, 'report this bug');
        probe = verdict;
      }
    } catch (err) {
      return { status: 'fail', title: `${this.p.label} key scope could not be checked`, detail: err instanceof Error ? err.message : String(err), fix: err instanceof GuardError ? err.fix : undefined };
    }
  }

  private base(): string {
    return this.email.endpoint ?? this.p.baseUrl(this.email);
  }

  private key(): string {
    return readSecret({ what: `the ${this.p.label} API key`, env: this.email.apiKeyEnv, file: this.email.apiKeyFile, envKey: 'email.apiKeyEnv', fileKey: 'email.apiKeyFile' });
  }

  private keyPlace(): string {
    return this.email.apiKeyFile ? this.email.apiKeyFile : `$${this.email.apiKeyEnv}`;
  }
}
