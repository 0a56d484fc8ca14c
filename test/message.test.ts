import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { Delivery, Message } from '../src/core/delivery/port.js';
import { guardIn } from './helpers/guard.js';
import { Sandbox } from './helpers/sandbox.js';

/**
 * The email itself, as the engine composes it for a real request: the code first and
 * large, then exactly what it approves; a subject without the code; agent-controlled
 * text escaped in the HTML part and capped.
 */
let sb: Sandbox;
afterEach(() => sb?.cleanup());

function capture(): { delivery: Delivery; sent: Message[] } {
  const sent: Message[] = [];
  return { sent, delivery: { name: 'capture', secure: true, describe: () => 'capture', send: async (m) => (sent.push(m), { id: 'c-1' }) } };
}

async function compose(params: Record<string, string>, summary = 'run rm -rf build', opts: { reason?: string; details?: string } = {}): Promise<{ m: Message; code: string; id: string }> {
  sb = new Sandbox();
  const c = capture();
  const g = guardIn(sb, { email: { to: 'jane@example.com' } }, { delivery: c.delivery });
  const r = await g.request({ tier: 'delete', action: 'exec', summary, params }, opts);
  if (r.status !== 'sent') throw new Error(r.status);
  const m = c.sent[0] as Message;
  const code = m.text.match(/^Your theguard code: (\d{6})$/m)?.[1] as string;
  return { m, code, id: r.clearance.id };
}

describe('the email a human receives', () => {
  it('starts with the code, then the operation, tier, repository, directory, host, expiry, attempts, request id', async () => {
    const { m, code, id } = await compose({ cwd: '/work/app', argv: 'rm -rf build' });
    const lines = m.text.split('\n');
    expect(lines[0]).toBe(`Your theguard code: ${code}`);
    expect(m.text).toMatch(/Operation: +run rm -rf build/);
    expect(m.text).toMatch(/Tier: +delete tier: destructive, irreversible/);
    expect(m.text).toContain(`Repository:   ${sb.repo}`);
    expect(m.text).toMatch(/Directory: +\/work\/app/);
    expect(m.text).toContain(`Host:         ${hostname()}`);
    expect(m.text).toMatch(/Expires: +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \(5 min after it was sent\)/);
    expect(m.text).toMatch(/Attempts: +3 before the code is revoked/);
    expect(m.text).toContain(`Request id:   ${id}`);
    expect(m.text).toContain('"argv": "rm -rf build"');
    expect(m.text).toMatch(/do nothing: the code expires and nothing runs/);
    expect(m.text.indexOf(code)).toBeLessThan(m.text.indexOf('Operation'));
  });

  it('the subject names the operation, never the code', async () => {
    const { m, code } = await compose({ ref: 'main' }, 'push to main');
    expect(m.subject).toBe('theguard: approve push to main');
    expect(m.subject).not.toContain(code);
  });

  it('the HTML shows the code large, first, and escapes everything the agent controls', async () => {
    const { m, code } = await compose({ cmd: '<img src=x onerror=alert(1)>' }, 'run <script>alert(1)</script>', { reason: '"quoted" & <b>bold</b>', details: '<a href="https://evil.example">click</a>' });
    expect(m.html).toMatch(new RegExp(`<p style="font-size:32px[^"]*">${code}</p>`));
    expect(m.html.indexOf(code)).toBeLessThan(m.html.indexOf('run &#60;script'));
    expect(m.html).not.toMatch(/<script|<img|<a href|<b>/);
    expect(m.html).toContain('run &#60;script&#62;alert(1)&#60;/script&#62;');
    expect(m.html).toContain('&#34;quoted&#34; &#38; &#60;b&#62;bold&#60;/b&#62;');
    expect(m.html).toMatch(/do nothing:<\/strong> the code expires and nothing runs/);
  });

  it('caps long agent-controlled details (16 KiB) and marks the cut', async () => {
    const { m } = await compose({ x: 'y' }, 'run job', { details: 'd'.repeat(20_000) });
    expect(m.text).toMatch(/d…\n/);
    expect(m.text).not.toContain('d'.repeat(16 * 1024));
    expect(m.html).not.toContain('d'.repeat(16 * 1024));
  });
});
