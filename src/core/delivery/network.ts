import { GuardError, errnoCode } from '../errors.js';
import type { Deadline } from './deadline.js';

/**
 * Failures below HTTP and SMTP, in words a human can act on: the name did not resolve,
 * the host could not be reached, its certificate was not trusted, or it did not answer
 * in time. Built from the error code and our own words only, never from data sent.
 */
export class DeliveryTimeout extends Error {
  constructor() {
    super('the delivery time limit was reached');
    this.name = 'DeliveryTimeout';
  }
}

const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT']);
const CERT = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|ERR_SSL|HOSTNAME|ALTNAME/;

/** `label` names the service ("Resend", "the SMTP server"), `where` its host:port. */
export function networkFailure(err: unknown, label: string, where: string, deadline: Deadline): GuardError {
  if (err instanceof GuardError) return err;
  if (err instanceof DeliveryTimeout) {
    return new GuardError('delivery', `no answer from ${label} (${where}) within ${deadline.describe()}, the delivery time limit`,
      `check this machine's network and ${label}'s status page; on a slow link raise email.timeoutSeconds (at most 30)`, { cause: err });
  }
  const code = errnoCode(err) ?? '';
  const host = where.replace(/:\d+$/, '');
  if (DNS.has(code)) {
    return new GuardError('delivery', `cannot resolve ${host}: DNS lookup failed (${code})`,
      `check this machine's network and DNS settings${label === 'the SMTP server' ? ', and email.smtp.host' : ', and email.endpoint if you set one'}`, { cause: err });
  }
  if (CERT.test(code)) {
    return new GuardError('delivery', `the TLS certificate of ${where} could not be verified (${code}); nothing was sent`,
      `if a proxy on this network inspects TLS, point NODE_EXTRA_CA_CERTS at its CA certificate; otherwise the connection may be intercepted: do not work around it`, { cause: err });
  }
  if (UNREACHABLE.has(code)) {
    return new GuardError('delivery', `cannot reach ${label} at ${where} (${code})`,
      'check the network connection, firewall or proxy, and the configured host and port', { cause: err });
  }
  const text = err instanceof Error ? err.message.slice(0, 200) : String(err);
  return new GuardError('delivery', `the connection to ${label} at ${where} failed (${code || text})`,
    'check the network connection and try again', { cause: err });
}
