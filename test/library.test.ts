import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGuard } from '../src/index.js';
import type { Delivery, Message } from '../src/index.js';
import { LIB, ROOT, Sandbox } from './helpers/sandbox.js';

let sb: Sandbox;
let savedEnv: NodeJS.ProcessEnv;
afterEach(() => {
  if (savedEnv) process.env = savedEnv;
  sb?.cleanup();
});

/** createGuard() reads the user's XDG dirs from process.env: point them at the sandbox. */
function useSandboxEnv(): void {
  savedEnv = process.env;
  process.env = { ...process.env, ...sb.env };
}

const refund = (amount: number, customer: string) => ({
  tier: 'delete' as const,
  action: 'stripe.refund',
  summary: `refund ${amount} to ${customer}`,
  params: { amount, customer },
});

function lines(child: ReturnType<typeof spawn>): AsyncGenerator<Record<string, unknown>> {
  let buf = '';
  const queue: Record<string, unknown>[] = [];
  let wake: (() => void) | undefined;
  child.stdout?.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      queue.push(JSON.parse(buf.slice(0, nl)) as Record<string, unknown>);
      buf = buf.slice(nl + 1);
      wake?.();
    }
  });
  return (async function* () {
    for (;;) {
      while (queue.length) yield queue.shift() as Record<string, unknown>;
      await new Promise<void>((r) => (wake = r));
    }
  })();
}

describe('the library, end to end', () => {
  it('a backend requests, waits, and acts once after a human verifies from another process', async () => {
    sb = new Sandbox();
    const backend = spawn(process.execPath, [join(ROOT, 'test/helpers/backend.mjs'), LIB, JSON.stringify(refund(10, 'cus_1')), '60000'], { cwd: sb.repo, env: sb.env });
    const out = lines(backend);
    const requested = (await out.next()).value as { status: string; id: string };
    expect(requested.status).toBe('sent');
    // The human reads the email and types the code in their own terminal.
    const v = await sb.cli(['verify', requested.id], { input: `${sb.lastCode()}\n` });
    expect(v.code).toBe(0);
    expect((await out.next()).value).toEqual({ phase: 'done', wait: 'granted', used: true, again: false });
    const audit = (await sb.cli(['audit', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; actor: { via: string } });
    expect(audit.map((e) => `${e.event}:${e.actor.via}`)).toEqual([
      'requested:test-backend',
      'delivered:test-backend',
      'granted:cli:verify',
      'consumed:test-backend',
    ]);
  });

  it('the approval is bound to the parameters: refund 10 to cus_1 does not approve 1000 to cus_2', async () => {
    sb = new Sandbox();
    useSandboxEnv();
    const guard = await createGuard({ cwd: sb.repo });
    const r = await guard.request(refund(10, 'cus_1'));
    if (r.status !== 'sent') throw new Error('unexpected');
    expect((await sb.cli(['verify', r.clearance.id], { input: `${sb.lastCode()}\n` })).code).toBe(0);
    expect(guard.consume(refund(1000, 'cus_2'))).toBe(false);
    expect(guard.consume(refund(10, 'cus_2'))).toBe(false);
    expect(guard.consume(refund(10, 'cus_1'))).toBe(true);
  });

  it('waitForGrant reports "expired" when the human denies, "timeout" when time runs out, and honours an abort signal', async () => {
    sb = new Sandbox();
    useSandboxEnv();
    const guard = await createGuard({ cwd: sb.repo });
    const op = refund(5, 'cus_3');
    const r = await guard.request(op);
    if (r.status !== 'sent') throw new Error('unexpected');
    expect(await guard.waitForGrant(op, { timeoutMs: 300, pollMs: 50 })).toEqual({ status: 'timeout' });
    const ac = new AbortController();
    const aborted = guard.waitForGrant(op, { signal: ac.signal, pollMs: 50 });
    ac.abort(new Error('backend shutting down'));
    await expect(aborted).rejects.toThrow('backend shutting down');
    const waiting = guard.waitForGrant(op, { timeoutMs: 30_000, pollMs: 50 });
    expect((await sb.cli(['deny', r.clearance.id])).code).toBe(0);
    expect(await waiting).toEqual({ status: 'expired' });
    expect(guard.consume(op)).toBe(false);
  });

  it('approve() wraps request, wait and consume', async () => {
    sb = new Sandbox();
    useSandboxEnv();
    const guard = await createGuard({ cwd: sb.repo });
    const op = refund(20, 'cus_4');
    const pending = guard.approve(op, { timeoutMs: 30_000 });
    // Wait for the mail, then verify as the human.
    for (let i = 0; i < 100 && sb.mails().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await sb.cli(['verify'], { input: `${sb.lastCode()}\n` })).code).toBe(0);
    const res = await pending;
    expect(res.approved).toBe(true);
    expect(guard.consume(op)).toBe(false);
  });

  it('a backend may deliver codes through its own channel; the subject never carries the code', async () => {
    sb = new Sandbox();
    useSandboxEnv();
    const sent: Message[] = [];
    const delivery: Delivery = { name: 'pager', secure: true, describe: () => 'the on-call pager', send: async (m) => (sent.push(m), { id: 'p-1' }) };
    const guard = await createGuard({ cwd: sb.repo, delivery, config: { email: { to: 'oncall@example.com' } } });
    const r = await guard.request(refund(1, 'cus_5'));
    expect(r).toMatchObject({ status: 'sent', via: 'pager', to: 'o***@e***.com' });
    const code = sent[0]?.text.match(/Your theguard code: (\d{6})/)?.[1] as string;
    expect(code).toMatch(/^\d{6}$/);
    expect(sent[0]?.subject).not.toContain(code);
    expect(sent[0]?.subject).toBe('theguard: approve refund 1 to cus_5');
    expect(sb.mails()).toHaveLength(0);
  });

  it('an invalid inline config is refused with the key and the fix', async () => {
    sb = new Sandbox();
    await expect(createGuard({ cwd: sb.repo, config: { push: { maxAttempts: 99 } } })).rejects.toThrow(/push\.maxAttempts must be at most 10/);
  });
});
