import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the Anthropic Messages API on 127.0.0.1, for driving the real Claude
 * Code CLI in tests. Each model turn answers with the next scripted step (a tool call,
 * or text), streamed as server-sent events the way the real API streams them. Every
 * request body is recorded, so a test can check exactly what the model was shown.
 */
export type Step = ({ toolUse: { name: string; input: Record<string, unknown> } } | { text: string }) & {
  /** Awaited before this turn is answered: the place for "the human" to act between turns. */
  before?: () => Promise<void>;
};

export interface FakeApi {
  readonly url: string;
  /** Parsed request bodies, in order. */
  readonly requests: Record<string, unknown>[];
  /** Raw request bodies, for leak searches. */
  readonly rawBodies: string[];
  /** The tool_result blocks the CLI sent back, in order, with their text flattened. */
  toolResults(): { toolUseId: string; isError: boolean; text: string }[];
  close(): Promise<void>;
}

export async function startFakeApi(script: Step[]): Promise<FakeApi> {
  const requests: Record<string, unknown>[] = [];
  const rawBodies: string[] = [];
  let turn = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      rawBodies.push(body);
      let parsed: Record<string, unknown> = {};
      try {
        parsed = JSON.parse(body || '{}') as Record<string, unknown>;
      } catch {
        // recorded raw; answer anyway
      }
      requests.push(parsed);
      if (!req.url?.startsWith('/v1/messages') || req.url.startsWith('/v1/messages/count_tokens')) {
        res.writeHead(req.url?.startsWith('/v1/messages/count_tokens') ? 200 : 404, { 'content-type': 'application/json' });
        res.end(req.url?.startsWith('/v1/messages/count_tokens') ? '{"input_tokens":1}' : '{}');
        return;
      }
      const step = script[turn];
      turn += 1;
      const n = turn;
      void (step?.before ?? (async () => {}))().then(
        () => stream(res, parsed, step, n),
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: `test step failed: ${String(err)}` } }));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    rawBodies,
    toolResults() {
      const seen = new Map<string, { toolUseId: string; isError: boolean; text: string }>();
      for (const r of requests) {
        for (const m of (r.messages as { role: string; content: unknown }[] | undefined) ?? []) {
          if (m.role !== 'user' || !Array.isArray(m.content)) continue;
          for (const b of m.content as Record<string, unknown>[]) {
            if (b.type !== 'tool_result') continue;
            const text = typeof b.content === 'string' ? b.content : JSON.stringify(b.content);
            seen.set(String(b.tool_use_id), { toolUseId: String(b.tool_use_id), isError: b.is_error === true, text });
          }
        }
      }
      return [...seen.values()];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function stream(res: ServerResponse, req: Record<string, unknown>, step: Step | undefined, turn: number): void {
  const ev = (type: string, data: Record<string, unknown>): void => void res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const message = { id: `msg_${turn}`, type: 'message', role: 'assistant', model: req.model ?? 'claude', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } };
  ev('message_start', { message });
  if (step && 'toolUse' in step) {
    ev('content_block_start', { index: 0, content_block: { type: 'tool_use', id: `toolu_${turn}`, name: step.toolUse.name, input: {} } });
    ev('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: JSON.stringify(step.toolUse.input) } });
  } else {
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: step && 'text' in step ? step.text : 'Done.' } });
  }
  ev('content_block_stop', { index: 0 });
  ev('message_delta', { delta: { stop_reason: step && 'toolUse' in step ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: 1 } });
  ev('message_stop', {});
  res.end();
}
