import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { codeRe, textUnder as allText } from './helpers/leaks.js';
import { CLI, Sandbox, onPty, run } from './helpers/sandbox.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());


const ranLines = () => (existsSync(join(sb.repo, 'ran.log')) ? readFileSync(join(sb.repo, 'ran.log'), 'utf8').trim().split('\n') : []);

describe('at a real terminal', () => {
  it('verify reads the code with echo off: the code never appears on the screen', async () => {
    sb = new Sandbox();
    expect((await sb.cli(['exec', '--tier', 'push', '--', 'true'])).code).toBe(3);
    const code = sb.lastCode();
    const res = await onPty([process.execPath, CLI, 'verify'], { cwd: sb.repo, env: sb.env, steps: [{ expect: 'Code: ', send: `${code}\r` }] });
    expect(res.pendingSteps).toBe(0);
    expect(res.exit).toBe(0);
    expect(res.output).toMatch(/Approved: run true/);
    expect(res.output).not.toMatch(codeRe(code));
  });

  it('verify lets the human pick among several pending requests', async () => {
    sb = new Sandbox();
    await sb.cli(['exec', '--tier', 'push', '--', 'echo', 'one']);
    await sb.cli(['exec', '--tier', 'push', '--', 'echo', 'two']);
    const res = await onPty([process.execPath, CLI, 'verify'], {
      cwd: sb.repo,
      env: sb.env,
      steps: [
        { expect: 'Which one to verify? [1-2] ', send: '2\r' },
        { expect: 'Code: ', codeFrom: sb.outbox },
      ],
    });
    expect(res.exit).toBe(0);
    expect(res.output).toMatch(/Approved: run echo two/);
  });

  it('exec at a terminal sends the code, asks for it inline, retries a typo, then runs the command once', async () => {
    sb = new Sandbox();
    const res = await onPty([process.execPath, CLI, 'exec', '--tier', 'push', '--', 'sh', '-c', 'echo approved-run >> ran.log'], {
      cwd: sb.repo,
      env: sb.env,
      steps: [
        { expect: 'Code: ', codeFrom: sb.outbox, offset: 1 },
        { expect: 'Wrong code. 4 attempt(s) left.', send: '' },
        { expect: 'Code: ', codeFrom: sb.outbox },
      ],
    });
    expect(res.exit).toBe(0);
    expect(ranLines()).toEqual(['approved-run']);
    expect(res.output).not.toMatch(codeRe(sb.lastCode()));
    expect(sb.mails()).toHaveLength(1);
  });

  it('Ctrl-C at the code prompt exits 130 (verify and exec), checks nothing and runs nothing', async () => {
    sb = new Sandbox();
    expect((await sb.cli(['exec', '--tier', 'push', '--', 'sh', '-c', 'echo ran >> ran.log'])).code).toBe(3);
    const verify = await onPty([process.execPath, CLI, 'verify'], { cwd: sb.repo, env: sb.env, steps: [{ expect: 'Code: ', send: '12\u0003' }] });
    expect(verify.exit).toBe(130);
    expect(verify.output).toMatch(/Cancelled\./);
    const exec = await onPty([process.execPath, CLI, 'exec', '--tier', 'push', '--', 'sh', '-c', 'echo ran >> ran.log'], { cwd: sb.repo, env: sb.env, steps: [{ expect: 'Code: ', send: '\u0003' }] });
    expect(exec.exit).toBe(130);
    expect(ranLines()).toEqual([]);
    const pending = JSON.parse((await sb.cli(['status', '--json'])).stdout) as { pending: { attemptsLeft: number }[] };
    expect(pending.pending.map((c) => c.attemptsLeft)).toEqual([5]);
  });
});

describe('emailFallback "terminal"', () => {
  /** An outbox that cannot be created (its parent is a file), so email delivery fails. */
  function brokenDelivery(fallback: 'terminal' | 'none'): void {
    const blocker = join(sb.base, 'not-a-dir');
    writeFileSync(blocker, 'x');
    sb.writeConfig({ email: { outbox: join(blocker, 'outbox') }, emailFallback: fallback });
  }

  it('shows the code only on the controlling terminal, under a warning; never on stdout, stderr or in a file', async () => {
    sb = new Sandbox();
    brokenDelivery('terminal');
    const out = join(sb.base, 'stdout.txt');
    const err = join(sb.base, 'stderr.txt');
    const cmd = `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} exec --tier push -- true >${out} 2>${err}`;
    const res = await onPty(['sh', '-c', cmd], { cwd: sb.repo, env: sb.env });
    expect(res.exit).toBe(3);
    expect(res.output).toMatch(/INSECURE TERMINAL FALLBACK/);
    const code = res.output.match(/Your theguard code: (\d{6})/)?.[1];
    expect(code).toMatch(/^\d{6}$/);
    const re = codeRe(code as string);
    expect(readFileSync(out, 'utf8')).not.toMatch(re);
    expect(readFileSync(err, 'utf8')).not.toMatch(re);
    expect(readFileSync(err, 'utf8')).toMatch(/needs human approval/);
    expect(allText(sb.stateDir)).not.toMatch(re);
    expect(allText(join(sb.base, 'config'))).not.toMatch(re);
    const events = (await sb.cli(['audit', '--json'])).stdout.trim().split('\n').map((l) => (JSON.parse(l) as { event: string }).event);
    expect(events).toEqual(['requested', 'delivery_failed', 'fallback_used']);
    // The human read it off the screen; it works.
    expect((await sb.cli(['verify'], { input: `${code}\n` })).code).toBe(0);
  });

  it('without a controlling terminal it fails closed, says why, and leaves nothing pending', async () => {
    sb = new Sandbox();
    brokenDelivery('terminal');
    const res = await run('setsid', ['-w', process.execPath, CLI, 'exec', '--tier', 'push', '--', 'sh', '-c', 'echo ran >> ran.log'], { cwd: sb.repo, env: sb.env });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/this process has no controlling terminal; the operation stays blocked/);
    expect(ranLines()).toEqual([]);
    const status = JSON.parse((await sb.cli(['status', '--json'])).stdout) as { pending: unknown[] };
    expect(status.pending).toEqual([]);
    const events = (await sb.cli(['audit', '--json'])).stdout.trim().split('\n').map((l) => (JSON.parse(l) as { event: string }).event);
    expect(events).toEqual(['requested', 'delivery_failed', 'delivery_failed', 'revoked']);
  });

  it('is never used unless configured: a failed delivery just fails closed', async () => {
    sb = new Sandbox();
    brokenDelivery('none');
    const res = await onPty([process.execPath, CLI, 'exec', '--tier', 'push', '--', 'true'], { cwd: sb.repo, env: sb.env });
    expect(res.exit).toBe(1);
    expect(res.output).not.toMatch(/INSECURE TERMINAL FALLBACK/);
    expect(res.output).not.toMatch(/Your theguard code/);
    expect(res.output).toMatch(/cannot write to the outbox/);
  });
});
