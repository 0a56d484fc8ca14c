import { GuardError } from '../errors.js';

/**
 * Why a provider refused a message, as one sentence that names the cause and a fix the
 * human can carry out. The detail is the provider's own error code and message (already
 * redacted); everything else is our words.
 */
export type ApiCause =
  | 'key' | 'permission' | 'forbidden' | 'blocked' | 'sender' | 'recipient' | 'account' | 'quota'
  | 'rate' | 'server' | 'rejected' | 'unexpected';

export interface ApiFailure {
  readonly cause: ApiCause;
  /** The provider's error code and message, e.g. "invalid_api_key: API key is invalid". */
  readonly detail?: string | undefined;
  /** Overrides the generic fix for this cause. */
  readonly fix?: string | undefined;
}

const WHAT: Record<ApiCause, string> = {
  key: 'refused the API key',
  permission: 'refused the request: this key may not send',
  // A 403 the provider documents no more precise meaning for: the fix lists what it can mean.
  forbidden: 'refused the request',
  // Something in front of the API (a firewall, a WAF) answered, not the API itself.
  blocked: 'did not let the request reach its API',
  sender: 'refused the sender address',
  recipient: 'refused the recipient',
  account: 'refused to send from this account',
  quota: 'refused to send: the account has used up its sending credits',
  rate: 'is rate-limiting this account',
  server: 'failed with a server error',
  rejected: 'rejected the message',
  unexpected: 'gave an unexpected answer',
};

function genericFix(cause: ApiCause, label: string, keyPlace: string): string {
  switch (cause) {
    case 'key':
      return `check the key in ${keyPlace}; if it was revoked, create a new send-only key in ${label}'s dashboard`;
    case 'permission':
      return `give the key permission to send mail in ${label}'s dashboard, or create a new send-only key`;
    case 'forbidden':
      return `check in ${label}'s dashboard that the key may send mail, then retry the operation`;
    case 'blocked':
      return `retry in a few minutes; if it keeps happening, contact ${label}'s support`;
    case 'sender':
      return `set email.from to an address on a domain you verified with ${label}`;
    case 'recipient':
      return `check email.to, and that ${label} may deliver to it (suppression lists, sandbox or test-mode limits)`;
    case 'account':
      return `check the account's status in ${label}'s dashboard, or ask ${label}'s support`;
    case 'quota':
      return `add sending credits or upgrade the plan in ${label}'s dashboard, or wait for the plan's allowance to reset`;
    case 'rate':
      return `wait a minute, then retry the operation; if it keeps happening, check ${label}'s sending limits for your plan`;
    case 'server':
      return `${label} is having trouble: check its status page and retry the operation in a few minutes`;
    case 'rejected':
      return `check email.from and email.to; if they are right, this is a bug in theguard: please report the provider's message`;
    case 'unexpected':
      return `check that email.endpoint (if set) points at ${label}'s API, and retry`;
  }
}

export function apiError(label: string, keyPlace: string, status: number, f: ApiFailure, note?: string): GuardError {
  const answer = `HTTP ${status}${f.detail ? ` ${f.detail}` : ''}`;
  const what = f.cause === 'key' ? `${WHAT.key} in ${keyPlace}` : WHAT[f.cause];
  return new GuardError('delivery', `${label} ${what} (${answer})${note ? `; ${note}` : ''}; nothing was delivered`,
    f.fix ?? genericFix(f.cause, label, keyPlace));
}

/** The cause an HTTP status points to when the provider says nothing more specific. */
export function causeOfStatus(status: number): ApiCause {
  if (status === 401) return 'key';
  if (status === 403) return 'forbidden';
  if (status === 429) return 'rate';
  if (status >= 500) return 'server';
  if (status >= 400) return 'rejected';
  return 'unexpected';
}
