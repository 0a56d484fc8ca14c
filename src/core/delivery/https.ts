import type { IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { GuardError } from '../errors.js';
import type { Deadline } from './deadline.js';
import { isLoopbackHost } from './endpoint.js';
import { DeliveryTimeout, networkFailure } from './network.js';

/**
 * One HTTPS request with node:https and nothing else. Certificates are verified (Node's
 * default, never turned off here); `ca` adds trust anchors for tests, the way
 * NODE_EXTRA_CA_CERTS does for the CLI. The request ends by the deadline, and the
 * answer is read up to a cap: an error body is for a human, not a download.
 */
export interface HttpCall {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface TransportOptions {
  /** Extra trusted CA certificates (PEM), for tests. Production uses the system's. */
  readonly ca?: string | Buffer | undefined;
}

const MAX_ANSWER_BYTES = 256 * 1024;

export function httpCall(call: HttpCall, label: string, deadline: Deadline, t: TransportOptions = {}): Promise<HttpAnswer> {
  const { url } = call;
  const where = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  // The config check already refuses this; the core refuses it again for library callers.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return Promise.reject(new GuardError('config', `${label} endpoint ${url.origin} is not https`, 'use an https: URL in email.endpoint (http: only for 127.0.0.1, ::1 or localhost)'));
  }
  const body = call.body === undefined ? undefined : Buffer.from(call.body, 'utf8');
  const headers = { ...call.headers, ...(body ? { 'Content-Length': String(body.length) } : {}) };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;

  return new Promise<HttpAnswer>((resolve, reject) => {
    const req = send(url, { method: call.method, headers, agent: false, rejectUnauthorized: true, ...(t.ca ? { ca: t.ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_ANSWER_BYTES) chunks.push(chunk.subarray(0, MAX_ANSWER_BYTES - size));
        size += chunk.length;
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', fail);
      // A body cut short (the deadline, a dropped connection) ends in 'close' without 'end'.
      res.on('close', () => {
        if (!res.complete) fail(timedOut ? new DeliveryTimeout() : Object.assign(new Error('the answer was cut off'), { code: 'ECONNRESET' }));
      });
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy(new DeliveryTimeout());
    }, deadline.remaining());
    function fail(err: unknown): void {
      clearTimeout(timer);
      reject(networkFailure(err, label, where, deadline));
    }
    req.on('error', fail);
    req.end(body);
  });
}

/** The JSON object in an answer's body, or undefined when it is not one. */
export function jsonBody(answer: HttpAnswer): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(answer.body);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined;
}
