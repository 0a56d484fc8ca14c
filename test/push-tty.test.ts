import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitWorld, codeRe } from './helpers/git-world.js';
import { textUnder as allText } from './helpers/leaks.js';
import { CLI, onPty } from './helpers/sandbox.js';

/**
 * A human pushing from their own terminal: `git push` runs on a real pseudo-terminal,
 * so the hook has a controlling terminal and stderr is a terminal. It offers the
 * one-step path: type the code right there (echo off) and the push goes on.
 */
let w: GitWorld;
afterEach(() => w?.cleanup());


const gitPush = (...args: string[]) => ['git', 'push', ...args];

describe('git push at a terminal', () => {
  it('asks for the code on the terminal; the right code lets this push through; the code never shows', async () => {
    w = new GitWorld();
    await w.init();
    const res = await onPty(gitPush('origin', 'main'), { cwd: w.repo, env: w.env, steps: [{ expect: 'Code: ', codeFrom: w.outbox }] });
    expect(res.pendingSteps).toBe(0);
    expect(res.exit).toBe(0);
    expect(res.output).toMatch(/A code was sent to j\*\*\*@e\*\*\*\.com/);
    expect(res.output).toMatch(/Type the code to push now, or press Enter to stop here\./);
    expect(res.output).toMatch(/theguard: approved: git push origin: create main/);
    expect(w.remoteRef('main')).toBe(w.git('rev-parse', 'HEAD'));
    const code = w.lastCode();
    expect(res.output).not.toMatch(codeRe(code));
    expect(allText(w.repo)).not.toMatch(codeRe(code)); // work tree, .git, state dir, audit log
    expect(allText(join(w.base, 'config'))).not.toMatch(codeRe(code));
    // The approval was used: the next push to main asks again.
    w.commit('b.txt', 'b\n', 'b');
    const next = await onPty(gitPush('origin', 'main'), { cwd: w.repo, env: w.env, steps: [{ expect: 'Code: ', send: '\r' }] });
    expect(next.exit).not.toBe(0);
    expect(w.mails()).toHaveLength(2);
  });

  it('a wrong code says how many attempts are left and asks again', async () => {
    w = new GitWorld();
    await w.init();
    const res = await onPty(gitPush('origin', 'main'), {
      cwd: w.repo,
      env: w.env,
      steps: [
        { expect: 'Code: ', codeFrom: w.outbox, offset: 1 },
        { expect: 'Wrong code. 4 attempt(s) left.', send: '' },
        { expect: 'Code: ', codeFrom: w.outbox },
      ],
    });
    expect(res.exit).toBe(0);
    expect(w.remoteRef('main')).not.toBeNull();
    expect(res.output).not.toMatch(codeRe(w.lastCode()));
  });

  it('Enter stops the push with the two-terminal instructions; the code stays valid for `theguard verify`', async () => {
    w = new GitWorld();
    await w.init();
    const res = await onPty(gitPush('origin', 'main'), { cwd: w.repo, env: w.env, steps: [{ expect: 'Code: ', send: '\r' }] });
    expect(res.exit).not.toBe(0);
    expect(res.output).toMatch(/Nothing was pushed\. Next: run `theguard verify` in another terminal/);
    expect(w.remoteRef('main')).toBeNull();
    expect((await w.verify()).code).toBe(0);
    expect((await w.push(['origin', 'main'])).code).toBe(0);
  });

  it('Enter after the human approved in another terminal lets the push through', async () => {
    w = new GitWorld();
    await w.init();
    // "Another terminal": a background job that waits for the email, feeds its code to
    // `theguard verify`, then says VERIFIED; only then does the human press Enter.
    const helper = [
      `until ls ${w.outbox}/*.eml >/dev/null 2>&1; do sleep 0.1; done`,
      `sed -n 's/^Your theguard code: \\([0-9]\\{6\\}\\).*/\\1/p' ${w.outbox}/*.eml | ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} verify >${w.base}/verify.log 2>&1`,
      'echo VERIFIED',
    ].join('; ');
    const res = await onPty(['sh', '-c', `(${helper}) & exec git push origin main`], { cwd: w.repo, env: w.env, steps: [{ expect: 'VERIFIED', send: '\r' }] });
    expect(readFileSync(join(w.base, 'verify.log'), 'utf8')).toMatch(/Approved: git push origin: create main/);
    expect(res.exit).toBe(0);
    expect(w.remoteRef('main')).toBe(w.git('rev-parse', 'HEAD'));
  });

  it('stderr piped away (an agent\'s tool) means no prompt, even with a terminal around', async () => {
    w = new GitWorld();
    await w.init();
    const log = join(w.base, 'stderr.txt');
    const res = await onPty(['sh', '-c', `git push origin main 2>${log}`], { cwd: w.repo, env: w.env });
    expect(res.exit).not.toBe(0);
    expect(res.output).not.toMatch(/Code: /);
    expect(readFileSync(log, 'utf8')).toMatch(/Next: run `theguard verify` in another terminal/);
  });
});

describe('theguard init at a terminal', () => {
  it('asks for the address when there is no configuration', async () => {
    w = new GitWorld();
    const res = await onPty([process.execPath, CLI, 'init'], { cwd: w.repo, env: w.env, steps: [{ expect: 'Email address for theguard codes: ', send: 'jane@example.com\r' }] });
    expect(res.exit).toBe(0);
    expect(JSON.parse(readFileSync(join(w.repo, '.theguard.json'), 'utf8'))).toEqual({ email: { provider: 'file', to: 'jane@example.com' } });
    expect(res.output).toMatch(/pre-push hook: installed \.git\/hooks\/pre-push/);
  });
});
