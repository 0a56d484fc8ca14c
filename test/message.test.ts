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

  it('caps long agent-controlled details at 8 KiB (below the 16 KiB a request may carry) and marks the cut', async () => {
    const { m } = await compose({ x: 'y' }, 'run job', { details: 'd'.repeat(12_000) });
    expect(m.text).toContain(`  ${'d'.repeat(8 * 1024)}\n  … ${12_000 - 8 * 1024} more characters not shown here; \`theguard status --json\` shows all of them`);
    expect(m.text).not.toContain('d'.repeat(8 * 1024 + 1));
    expect(m.html).not.toContain('d'.repeat(8 * 1024 + 1));
  });

  it('caps the parameters at 16 KiB, though 64 KiB may be approved: cut before escaping, the cut marked in both parts', async () => {
    // 40 000 characters of markup: accepted (under 64 KiB), so only the email's own cap can cut it.
    const { m } = await compose({ cmd: '<b>'.repeat(13_000) + 'TAIL-NOT-SHOWN' });
    const shownText = m.text.slice(m.text.indexOf('Exact parameters:\n') + 'Exact parameters:\n'.length, m.text.indexOf('\n\nTo approve'));
    expect(m.text).not.toContain('TAIL-NOT-SHOWN');
    expect(shownText).toMatch(/\n {2}… \d+ more characters not shown here; `theguard status --json` shows all of them, and the code approves all of them\.$/);
    const pre = /<pre style="background[^"]*">([\s\S]*?)<\/pre>/.exec(m.html)?.[1] ?? '';
    expect(pre).not.toMatch(/<|>/);
    expect(pre).not.toContain('TAIL-NOT-SHOWN');
    // The HTML shows exactly what the text shows: escaped whole, never an entity cut in half.
    const unescaped = pre.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
    expect(unescaped.replace(/^/gm, '  ')).toBe(shownText);
    expect(unescaped.length).toBeLessThan(16 * 1024 + 200);
  });

  it('caps the operation line (the command) at 300 characters, though 500 may be approved, and escapes it', async () => {
    const summary = `run <i>${'a'.repeat(400)}</i> TAIL-NOT-SHOWN`;
    const { m } = await compose({ argv: 'x' }, summary);
    const line = /^ {2}Operation: +(.*)$/m.exec(m.text)?.[1] ?? '';
    expect(line).toBe(`${summary.slice(0, 300)} … (${summary.length - 300} more characters)`);
    expect(m.html).toContain(`<td style="font-family:monospace">run &#60;i&#62;${'a'.repeat(293)} … (${summary.length - 300} more characters)</td>`);
    expect(m.html).not.toContain('TAIL-NOT-SHOWN');
    expect(m.subject.length).toBeLessThanOrEqual('theguard: approve '.length + 120);
  });

  it('caps an agent-chosen working directory the same way', async () => {
    const { m } = await compose({ cwd: `/work/${'d'.repeat(500)}` });
    expect(/^ {2}Directory: +(.*)$/m.exec(m.text)?.[1]).toMatch(/^\/work\/d{294} … \(206 more characters\)$/);
  });
});
