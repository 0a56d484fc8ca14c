import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, wrongCode } from './helpers/sandbox.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

/** A command with a visible effect: it appends a line to ran.log in the repo. */
const marker = (word = 'ran') => ['sh', '-c', `echo ${word} >> ran.log`];
const ranLines = () => (existsSync(join(sb.repo, 'ran.log')) ? readFileSync(join(sb.repo, 'ran.log'), 'utf8').trim().split('\n') : []);

/** Run `exec` without a terminal (as an agent would) and return the request id it names. */
async function requestViaExec(args: string[], tier = 'push'): Promise<string> {
  const res = await sb.cli(['exec', '--tier', tier, '--', ...args]);
  expect(res.code).toBe(3);
  const id = res.stderr.match(/theguard verify ([a-z0-9]{8})/)?.[1];
  if (!id) throw new Error(`no id in: ${res.stderr}`);
  return id;
}

describe('theguard exec without a terminal (how an agent meets it)', () => {
  it('stops the command, sends a code, says exactly what the human must do, and exits 3', async () => {
    sb = new Sandbox({ config: { email: { to: 'jane@example.com' } } });
    const res = await sb.cli(['exec', '--', ...marker()]);
    expect(res.code).toBe(3);
    expect(ranLines()).toEqual([]);
    expect(res.stderr).toMatch(/needs human approval \(delete tier\)\. A code was sent to j\*\*\*@e\*\*\*\.com\./);
    expect(res.stderr).toMatch(/Ask the human to run `theguard verify [a-z0-9]{8}` in their own terminal, then run the same command again\./);
    expect(sb.mails()).toHaveLength(1);
  });

  it('after theguard verify, the same command runs exactly once; the next run needs a new code', async () => {
    sb = new Sandbox();
    const id = await requestViaExec(marker());
    const v = await sb.cli(['verify', id], { input: `${sb.lastCode()}\n` });
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/Approved: run sh -c 'echo ran >> ran.log'/);
    const first = await sb.cli(['exec', '--tier', 'push', '--', ...marker()]);
    expect(first.code).toBe(0);
    expect(ranLines()).toEqual(['ran']);
    const second = await sb.cli(['exec', '--tier', 'push', '--', ...marker()]);
    expect(second.code).toBe(3);
    expect(ranLines()).toEqual(['ran']);
    expect(sb.mails()).toHaveLength(2);
  });

  it('a retry while the code is pending sends no new email and points to the pending request', async () => {
    sb = new Sandbox();
    const id = await requestViaExec(marker());
    const again = await sb.cli(['exec', '--tier', 'push', '--', ...marker()]);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain(`A code was already sent`);
    expect(again.stderr).toContain(`theguard verify ${id}`);
    expect(sb.mails()).toHaveLength(1);
  });

  it('the approval is bound to the exact arguments and directory', async () => {
    sb = new Sandbox();
    const id = await requestViaExec(marker('a'));
    expect((await sb.cli(['verify', id], { input: `${sb.lastCode()}\n` })).code).toBe(0);
    expect((await sb.cli(['exec', '--tier', 'push', '--', ...marker('b')])).code).toBe(3);
    mkdirSync(join(sb.repo, 'sub'));
    expect((await sb.cli(['exec', '--tier', 'push', '--', ...marker('a')], { cwd: join(sb.repo, 'sub') })).code).toBe(3);
    expect((await sb.cli(['exec', '--tier', 'delete', '--', ...marker('a')])).code).toBe(3);
    expect(ranLines()).toEqual([]);
    expect((await sb.cli(['exec', '--tier', 'push', '--', ...marker('a')])).code).toBe(0);
    expect(ranLines()).toEqual(['a']);
  });

  it('the approval binds the script the command runs: edited after approval, it needs a new code', async () => {
    sb = new Sandbox();
    writeFileSync(join(sb.repo, 'job.sh'), 'echo approved >> ran.log\n');
    const id = await requestViaExec(['bash', 'job.sh']);
    expect((await sb.cli(['verify', id], { input: `${sb.lastCode()}\n` })).code).toBe(0);
    writeFileSync(join(sb.repo, 'job.sh'), 'echo swapped >> ran.log\n');
    expect((await sb.cli(['exec', '--tier', 'push', '--', 'bash', 'job.sh'])).code).toBe(3);
    expect(ranLines()).toEqual([]);
    writeFileSync(join(sb.repo, 'job.sh'), 'echo approved >> ran.log\n');
    expect((await sb.cli(['exec', '--tier', 'push', '--', 'bash', 'job.sh'])).code).toBe(0);
    expect(ranLines()).toEqual(['approved']);
  });

  it('--tier push cannot soften a command the catalogue puts in the delete tier', async () => {
    sb = new Sandbox();
    const res = await sb.cli(['exec', '--tier', 'push', '--', 'kubectl', 'delete', 'namespace', 'prod']);
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/needs human approval \(delete tier\)/);
    const ok = await sb.cli(['exec', '--tier', 'push', '--', 'echo', 'hello']);
    expect(ok.stderr).toMatch(/\(push tier\)/);
  });

  it("passes on the approved command's exit status", async () => {
    sb = new Sandbox();
    const id = await requestViaExec(['sh', '-c', 'exit 7']);
    await sb.cli(['verify', id], { input: `${sb.lastCode()}\n` });
    expect((await sb.cli(['exec', '--tier', 'push', '--', 'sh', '-c', 'exit 7'])).code).toBe(7);
  });
});

describe('theguard verify', () => {
  it('says so when nothing is pending', async () => {
    sb = new Sandbox();
    const res = await sb.cli(['verify'], { input: '123456\n' });
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/Nothing is waiting for approval/);
  });

  it('shows what the code would allow before reading it', async () => {
    sb = new Sandbox();
    const id = await requestViaExec(marker());
    const res = await sb.cli(['verify'], { input: `${wrongCode(sb.lastCode())}\n` });
    expect(res.stderr).toContain(`Approve: run sh -c 'echo ran >> ran.log'`);
    expect(res.stderr).toContain(`id ${id} · push tier`);
    expect(res.stderr).toMatch(/"argv": \[/);
    expect(res.code).toBe(4);
    expect(res.stdout).toMatch(/Wrong code\. 4 attempt\(s\) left\./);
  });

  it('never takes a code as an argument, and such a call uses no attempt', async () => {
    sb = new Sandbox();
    await requestViaExec(marker());
    const res = await sb.cli(['verify', sb.lastCode()]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/That looks like a code\. theguard never takes a code as an argument/);
    const status = JSON.parse((await sb.cli(['status', '--json'])).stdout) as { pending: { attemptsLeft: number }[] };
    expect(status.pending[0]?.attemptsLeft).toBe(5);
  });

  it('rejects input that is not six digits without using an attempt', async () => {
    sb = new Sandbox();
    await requestViaExec(marker());
    const res = await sb.cli(['verify'], { input: '12ab\n' });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/A code is 6 digits\. Nothing was checked; no attempt was used\./);
  });

  it('with several requests pending and no terminal, asks for the id', async () => {
    sb = new Sandbox();
    const a = await requestViaExec(marker('a'));
    const b = await requestViaExec(marker('b'));
    const res = await sb.cli(['verify'], { input: '123456\n' });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(a);
    expect(res.stderr).toContain(b);
    expect(res.stderr).toMatch(/Fix: run `theguard verify <id>`/);
    const ok = await sb.cli(['verify', b], { input: `${sb.lastCode()}\n` });
    expect(ok.code).toBe(0);
  });

  it('reports the lockout after the last attempt, and refuses even the right code then', async () => {
    sb = new Sandbox({ config: { push: { maxAttempts: 2, lockoutSeconds: 60 } } });
    const id = await requestViaExec(marker());
    const code = sb.lastCode();
    expect((await sb.cli(['verify', id], { input: `${wrongCode(code, 1)}\n` })).stdout).toMatch(/1 attempt\(s\) left/);
    const last = await sb.cli(['verify', id], { input: `${wrongCode(code, 2)}\n` });
    expect(last.code).toBe(4);
    expect(last.stdout).toMatch(/No attempts left: the code is revoked and push-tier approvals are locked until/);
    const after = await sb.cli(['verify', id], { input: `${code}\n` });
    expect(after.code).toBe(4);
    const retry = await sb.cli(['exec', '--tier', 'push', '--', ...marker()]);
    expect(retry.code).toBe(4);
    expect(retry.stderr).toMatch(/push-tier approvals are locked until/);
    expect(ranLines()).toEqual([]);
  });
});

describe('status, resend, deny', () => {
  it('status shows pending requests, the delivery and that the file outbox is insecure', async () => {
    sb = new Sandbox();
    const id = await requestViaExec(marker());
    const human = await sb.cli(['status']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(id);
    expect(human.stdout).toMatch(/WARNING: this delivery is INSECURE/);
    const json = JSON.parse((await sb.cli(['status', '--json'])).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ delivery: { name: 'file', secure: false }, pending: [{ id, tier: 'push', attemptsLeft: 5 }], grants: [], lockouts: [] });
  });

  it('status lists a live grant and a tier lockout, in words and in --json', async () => {
    sb = new Sandbox({ config: { push: { maxAttempts: 2, lockoutSeconds: 600 } } });
    const granted = await requestViaExec(marker('a'), 'delete');
    expect((await sb.cli(['verify', granted], { input: `${sb.lastCode()}\n` })).code).toBe(0);
    const locked = await requestViaExec(marker('b'), 'push');
    const code = sb.lastCode();
    for (const n of [1, 2]) await sb.cli(['verify', locked], { input: `${wrongCode(code, n)}\n` });
    const before = Date.now();
    const human = await sb.cli(['status']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^Pending: {4}none$/m);
    expect(human.stdout).toMatch(/^Grants: {5}1$/m);
    expect(human.stdout).toMatch(new RegExp(`^  ${granted}  delete  run sh -c 'echo a >> ran.log'  \\(usable once, for (1m \\d+s|\\d+s)\\)$`, 'm'));
    expect(human.stdout).toMatch(/^Lockouts: {3}1$/m);
    expect(human.stdout).toMatch(new RegExp(`^  push tier until \\d\\d:\\d\\d:\\d\\d \\(\\d+m \\d+s\\): clearance ${locked} ran out of attempts$`, 'm'));
    const json = JSON.parse((await sb.cli(['status', '--json'])).stdout) as {
      pending: unknown[];
      grants: { clearanceId: string; tier: string; summary: string; expiresAt: number }[];
      lockouts: { tier: string; until: number; cause: string }[];
    };
    expect(json.pending).toEqual([]);
    expect(json.grants).toEqual([{ clearanceId: granted, tier: 'delete', summary: "run sh -c 'echo a >> ran.log'", expiresAt: expect.any(Number) }]);
    expect(json.grants[0]!.expiresAt).toBeGreaterThan(before);
    expect(json.grants[0]!.expiresAt).toBeLessThanOrEqual(Date.now() + 120_000);
    expect(json.lockouts).toEqual([{ tier: 'push', until: expect.any(Number), cause: `clearance ${locked} ran out of attempts` }]);
    expect(json.lockouts[0]!.until).toBeGreaterThan(before);
    expect(json.lockouts[0]!.until).toBeLessThanOrEqual(Date.now() + 600_000);
    // The grant is still usable once, the lockout notwithstanding (it is for the other tier).
    expect((await sb.cli(['exec', '--', ...marker('a')])).code).toBe(0);
    expect(JSON.parse((await sb.cli(['status', '--json'])).stdout)).toMatchObject({ grants: [], lockouts: [{ tier: 'push' }] });
  });

  it('resend sends a fresh code and kills the old one', async () => {
    sb = new Sandbox();
    const id = await requestViaExec(marker());
    const old = sb.lastCode();
    const res = await sb.cli(['resend', id]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/A new code .* was sent .*The previous code no longer works/);
    expect(sb.mails()).toHaveLength(2);
    const newId = res.stdout.match(/request id ([a-z0-9]{8})/)?.[1] as string;
    if (old !== sb.lastCode()) expect((await sb.cli(['verify', newId], { input: `${old}\n` })).code).toBe(4);
    expect((await sb.cli(['status', '--json'])).stdout).not.toContain(`"id": "${id}"`);
  });

  it('deny kills the code and nothing runs', async () => {
    sb = new Sandbox();
    const id = await requestViaExec(marker());
    const code = sb.lastCode();
    expect((await sb.cli(['deny', id])).code).toBe(0);
    expect((await sb.cli(['verify', id], { input: `${code}\n` })).code).toBe(4);
    expect((await sb.cli(['exec', '--tier', 'push', '--', ...marker()])).code).toBe(3);
    expect(ranLines()).toEqual([]);
  });
});

describe('the cap on new codes', () => {
  const utc = { TZ: 'UTC' };
  /** When the only code sent so far leaves the 10-minute window, as a UTC clock time. */
  const resumesAt = () => {
    const sent = Number(readdirSync(join(sb.stateDir, 'sends'))[0]!.split('.')[0]);
    return new Date(sent + 600_000).toLocaleTimeString('en-GB', { hour12: false, timeZone: 'UTC' });
  };

  it('over the cap, the agent is told that no code was sent and when the next one can be: in how long, and at what time', async () => {
    sb = new Sandbox({ config: { rateLimit: { perProject: 1, windowSeconds: 600 } } });
    await requestViaExec(marker('a'));
    const capped = await sb.cli(['exec', '--tier', 'push', '--', ...marker('b')], { env: utc });
    expect(capped.code).toBe(4);
    expect(capped.stderr).toContain('no new code was sent: this project already had 1 codes in the last 10 minutes');
    expect(capped.stderr).toMatch(new RegExp(`the next code can be sent in [^,]+, at ${resumesAt()}\\. Nothing ran\\.`));
    expect(sb.mails()).toHaveLength(1);
    const blocked = (await sb.cli(['audit', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; detail?: string }).filter((e) => e.event === 'blocked');
    expect(blocked).toHaveLength(1);
    expect(blocked[0]!.detail).toMatch(/^no new code until \d{4}-\d\d-\d\dT[\d:.]+Z: 1 codes per 600 s for this project were already sent$/);
  });

  it('a resend over the cap says when a new code can go out, and leaves the code already sent working', async () => {
    sb = new Sandbox({ config: { rateLimit: { perProject: 1, windowSeconds: 600 } } });
    const id = await requestViaExec(marker());
    const code = sb.lastCode();
    const res = await sb.cli(['resend', id], { env: utc });
    expect(res.code).toBe(4);
    expect(res.stdout).toMatch(new RegExp(`^No new code was sent: this project already had 1 codes .* the next code can be sent in [^,]+, at ${resumesAt()}\\. The code already sent for request ${id} still works\\.$`, 'm'));
    expect(sb.mails()).toHaveLength(1);
    expect((await sb.cli(['verify', id], { input: `${code}\n` })).code).toBe(0);
    expect((await sb.cli(['exec', '--tier', 'push', '--', ...marker()])).code).toBe(0);
    expect(ranLines()).toEqual(['ran']);
  });
});

describe('command line basics', () => {
  it('exit codes: help 0, unknown command 2, missing command for exec 2', async () => {
    sb = new Sandbox();
    expect((await sb.cli(['--help'])).code).toBe(0);
    expect((await sb.cli(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect((await sb.cli(['frobnicate'])).code).toBe(2);
    expect((await sb.cli(['exec'])).code).toBe(2);
    expect((await sb.cli(['exec', '--tier', 'nuclear', '--', 'true'])).code).toBe(2);
  });

  it('exec exits 127 when the approved command cannot be started, and 128+n when a signal ends it', async () => {
    sb = new Sandbox();
    const missing = ['no-such-command-theguard-test'];
    const id = await requestViaExec(missing);
    expect((await sb.cli(['verify', id], { input: `${sb.lastCode()}\n` })).code).toBe(0);
    const res = await sb.cli(['exec', '--tier', 'push', '--', ...missing]);
    expect(res.code).toBe(127);
    expect(res.stderr).toMatch(/theguard: cannot run no-such-command-theguard-test: .*ENOENT/);
    const killed = ['sh', '-c', 'kill -TERM $$'];
    const id2 = await requestViaExec(killed);
    expect((await sb.cli(['verify', id2], { input: `${sb.lastCode()}\n` })).code).toBe(0);
    expect((await sb.cli(['exec', '--tier', 'push', '--', ...killed])).code).toBe(128 + 15);
  });

  it('an invalid config stops every command with exit 1 and the fix', async () => {
    sb = new Sandbox({ config: { push: { maxAttempts: 'many' } } });
    const res = await sb.cli(['exec', '--', 'true']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/push\.maxAttempts must be a number/);
    expect(res.stderr).toMatch(/Fix: /);
  });
});

describe('theguard doctor', () => {
  it('reports a healthy setup, warning that the file outbox is insecure', async () => {
    sb = new Sandbox();
    const res = await sb.cli(['doctor']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/\[ok {2}\] pepper: .*private/);
    expect(res.stdout).toMatch(/\[ok {2}\] state dir: .* \(mode 700\)/);
    expect(res.stdout).toMatch(/\[WARN\] delivery: file outbox .*INSECURE/);
    expect(res.stdout).toMatch(/Fix: configure an email provider/);
  });

  it('fails, with the fix, when the pepper is readable by others', async () => {
    sb = new Sandbox();
    await sb.cli(['doctor']);
    const { chmodSync } = await import('node:fs');
    chmodSync(sb.pepperPath, 0o644);
    const res = await sb.cli(['doctor', '--json']);
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout) as { ok: boolean; results: { status: string; title: string; detail?: string; fix?: string }[] };
    expect(report.ok).toBe(false);
    const failure = report.results.find((r) => r.status === 'fail');
    expect(failure?.detail).toMatch(/has mode 644; it must be 600/);
    expect(failure?.fix).toBe(`run: chmod 600 ${sb.pepperPath}`);
  });

  it('warns when the audit log was altered', async () => {
    sb = new Sandbox();
    await requestViaExec(marker());
    const { readFileSync: read, writeFileSync: write } = await import('node:fs');
    const path = join(sb.stateDir, 'audit.jsonl');
    write(path, read(path, 'utf8').replace('requested', 'REQUESTED'));
    const res = await sb.cli(['doctor']);
    expect(res.stdout).toMatch(/\[WARN\] audit log is not intact/);
  });
});
