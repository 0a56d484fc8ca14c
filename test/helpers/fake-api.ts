import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestPki } from './tls.js';

/**
 * A provider's API on 127.0.0.1 over real HTTPS: it records every request exactly as it
 * arrived and answers from a script, one answer per request (the last one repeats).
 * "hang" accepts the request and never answers.
 */
export interface Recorded {
  readonly method: string;
  /** Path and query, e.g. "/v3/mg.example.com/messages". */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** An object is sent as JSON; a function answers from the request (a provider that echoes it). */
  readonly body?: string | object | ((req: Recorded) => string | object);
}

export type Script = Answer | 'hang';

export class FakeApi {
  readonly requests: Recorded[] = [];
  private script: Script[] = [{ status: 500, body: { message: 'no answer scripted' } }];

  private constructor(private readonly server: ReturnType<typeof createServer>, readonly url: string) {}

  static async start(pki: TestPki): Promise<FakeApi> {
    let api: FakeApi | undefined;
    const server = createServer({ key: pki.key, cert: pki.cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => api?.handle({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }, res));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    api = new FakeApi(server, `https://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return api;
  }

  /** The answers to the next requests, in order; forgets earlier requests. */
  answer(...script: Script[]): this {
    this.script = script;
    this.requests.length = 0;
    return this;
  }

  get last(): Recorded {
    const r = this.requests[this.requests.length - 1];
    if (!r) throw new Error('no request arrived');
    return r;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  private handle(req: Recorded, res: ServerResponse): void {
    this.requests.push(req);
    const next = this.script.length > 1 ? (this.script.shift() as Script) : (this.script[0] as Script);
    if (next === 'hang') return;
    const given = typeof next.body === 'function' ? next.body(req) : next.body;
    const json = typeof given === 'object';
    const body = given === undefined ? '' : json ? JSON.stringify(given) : String(given);
    res.writeHead(next.status, { ...(json ? { 'Content-Type': 'application/json' } : {}), ...next.headers });
    res.end(body);
  }
}
