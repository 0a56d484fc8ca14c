import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestPki } from './tls.js';

/**
 * A provider's API on 127.0.0.1 over real HTTPS: it records every request exactly as it
 * arrived, checks it against the provider's documented request shape (when told which
 * provider it plays, see provider-api.ts), and answers from a script, one answer per
 * request (the last one repeats). A malformed request is not answered from the script:
 * it gets a 400 that says what is wrong, and is listed in `problems`, so a retry or an
 * error path that sends something the provider would refuse fails its test.
 * "hang" accepts the request and never answers.
 */
export interface Recorded {
  readonly method: string;
  /** Path and query, e.g. "/v3/mg.example.com/messages". */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** When the request had fully arrived (Date.now()): waits between requests are read from it. */
  readonly at: number;
}

export interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** An object is sent as JSON; a function answers from the request (a provider that echoes it). */
  readonly body?: string | object | ((req: Recorded) => string | object);
}

export type Script = Answer | 'hang';

/** How one provider's API checks requests: the problems with one (none: well formed), and its answer to a malformed one. */
export interface RequestChecker {
  readonly provider: string;
  check(req: Recorded): string[];
  refuse(problems: string[]): Answer;
}

export class FakeApi {
  readonly requests: Recorded[] = [];
  /** One line per malformed request since the last answer(): "POST /emails: no User-Agent". */
  readonly problems: string[] = [];
  private script: Script[] = [{ status: 500, body: { message: 'no answer scripted' } }];
  private checker: RequestChecker | undefined;

  private constructor(private readonly server: ReturnType<typeof createServer>, readonly url: string) {}

  static async start(pki: TestPki): Promise<FakeApi> {
    let api: FakeApi | undefined;
    const server = createServer({ key: pki.key, cert: pki.cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => api?.handle({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() }, res));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    api = new FakeApi(server, `https://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return api;
  }

  /** Play this provider from now on: check every request as it documents them (undefined: check nothing). */
  expect(checker: RequestChecker | undefined): this {
    this.checker = checker;
    return this;
  }

  /** The answers to the next requests, in order; forgets earlier requests and problems. */
  answer(...script: Script[]): this {
    this.script = script;
    this.requests.length = 0;
    this.problems.length = 0;
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
    const wrong = this.checker?.check(req) ?? [];
    if (this.checker && wrong.length > 0) {
      this.problems.push(`${req.method} ${req.path}: ${wrong.join('; ')}`);
      return reply(res, this.checker.refuse(wrong), req);
    }
    const next = this.script.length > 1 ? (this.script.shift() as Script) : (this.script[0] as Script);
    if (next === 'hang') return;
    reply(res, next, req);
  }
}

function reply(res: ServerResponse, a: Answer, req: Recorded): void {
  const given = typeof a.body === 'function' ? a.body(req) : a.body;
  const json = typeof given === 'object';
  const body = given === undefined ? '' : json ? JSON.stringify(given) : String(given);
  res.writeHead(a.status, { ...(json ? { 'Content-Type': 'application/json' } : {}), ...a.headers });
  res.end(body);
}
