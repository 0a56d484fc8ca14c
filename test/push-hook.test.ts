import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitWorld, codeRe } from './helpers/git-world.js';
import type { RunResult } from './helpers/sandbox.js';

/**
 * The pre-push hook end to end: `theguard init` installs it, real `git push` runs it
 * against a bare remote on disk, the code arrives in the file outbox, and the human
 * feeds it to `theguard verify`.
 */
let w: GitWorld;
afterEach(() => w?.cleanup());

type Status = { pending: { id: string; tier: string; maxAttempts: number; summary: string; params: { updates: { ref: string; kind: string }[] } }[] };
const status = async (): Promise<Status> => JSON.parse((await w.cli(['status', '--json'])).stdout) as Status;

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
}

/** Neither stream of any of these processes shows the code. */
function expectNoCode(outputs: RunResult[], code: string): void {
  for (const o of outputs) {
    expect(o.stdout).not.toMatch(codeRe(code));
    expect(o.stderr).not.toMatch(codeRe(code));
  }
}

describe('a push to a protected branch', () => {
  it('is stopped, the code is emailed, verify approves it, the same push goes through once, and the next push needs a new code', async () => {
    w = new GitWorld();
    await w.init();
    const tip = w.commit('app.js', 'v1\n', 'ship v1');

    const stopped = await w.push(['origin', 'main']);
    expect(stopped.code).not.toBe(0);
    expect(w.remoteRef('main')).toBeNull();
    expect(stopped.stderr).toMatch(/theguard: push stopped: git push origin: create main/);
    expect(stopped.stderr).toMatch(/A code was sent to j\*\*\*@e\*\*\*\.com \(request [a-z0-9]{8}/);
    expect(stopped.stderr).toMatch(/Next: run `theguard verify` in another terminal \(request [a-z0-9]{8}\), then push again\./);
    expect(w.mails()).toHaveLength(1);
    const code = w.lastCode();

    const mail = w.mails()[0] as string;
    expect(mail).toMatch(/Subject: theguard: approve git push origin: create main/);
    expect(mail).toMatch(/Remote: origin \(/);
    expect(mail).toMatch(/create +main +new at [0-9a-f]{12}/);
    expect(mail).toMatch(/Commits to publish: 2/);
    expect(mail).toMatch(/ship v1/);
    expect(mail).toMatch(/app\.js +\| 1 \+/);

    const verified = await w.verify();
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/Approved: git push origin: create main/);

    const through = await w.push(['origin', 'main']);
    expect(through.code).toBe(0);
    expect(w.remoteRef('main')).toBe(tip);
    expect(through.stderr).toMatch(/theguard: approved: git push origin: create main \(the approval is now used up\)/);

    w.commit('app.js', 'v2\n', 'ship v2');
    const next = await w.push(['origin', 'main']);
    expect(next.code).not.toBe(0);
    expect(w.remoteRef('main')).toBe(tip);
    expect(w.mails()).toHaveLength(2);
    expect(w.mails()[1]).toMatch(/update +main +[0-9a-f]{12} -> [0-9a-f]{12}/);
    expectNoCode([stopped, verified, through, next], code);
    // Nor does any file: the work tree, .git (hook, launcher, install record), the state dir
    // and its audit log, the user's config dir (pepper). Only the outbox holds it.
    const holders = [w.repo, join(w.base, 'config'), join(w.base, 'home')].flatMap(filesUnder).filter((f) => codeRe(code).test(readFileSync(f, 'latin1')));
    expect(holders).toEqual([]);
    expect(filesUnder(w.outbox).filter((f) => codeRe(code).test(readFileSync(f, 'latin1')))).toHaveLength(1);
  });

  it('a retry while the code is pending sends no new code and says so', async () => {
    w = new GitWorld();
    await w.init();
    const first = await w.push(['origin', 'main']);
    const id = first.stderr.match(/request ([a-z0-9]{8})/)?.[1];
    const again = await w.push(['origin', 'main']);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain(`A code was already sent to j***@e***.com (request ${id}`);
    expect(again.stderr).toContain('no new code was sent');
    expect(w.mails()).toHaveLength(1);
  });

  it('a grant for one push does not release another: a new commit, or another branch, needs its own code', async () => {
    w = new GitWorld();
    await w.init();
    const approved = w.git('rev-parse', 'HEAD');
    await w.push(['origin', 'main']);
    expect((await w.verify()).code).toBe(0);

    // The same commit to another protected branch is another operation.
    const other = await w.push(['origin', 'main:release/1.0']);
    expect(other.code).not.toBe(0);
    expect(w.remoteRef('release/1.0')).toBeNull();
    // A new commit on main is another operation too.
    w.commit('x.txt', 'x\n', 'sneak in');
    const newer = await w.push(['origin', 'main']);
    expect(newer.code).not.toBe(0);
    expect(w.remoteRef('main')).toBeNull();
    expect(w.mails()).toHaveLength(3);

    // The approved push itself still goes through, exactly once.
    const exact = await w.push(['origin', `${approved}:refs/heads/main`]);
    expect(exact.code).toBe(0);
    expect(w.remoteRef('main')).toBe(approved);
  });
});

describe('an approval is used once, for one remote', () => {
  it('the identical push again (the remote ref removed in between) needs a new code', async () => {
    w = new GitWorld();
    await w.init();
    const tip = w.git('rev-parse', 'HEAD');
    await w.push(['origin', 'main']);
    expect((await w.verify()).code).toBe(0);
    expect((await w.push(['origin', 'main'])).code).toBe(0);
    expect(w.remoteRef('main')).toBe(tip);
    // Same remote, same ref, same old and new ids as the approved push.
    execFileSync('git', ['--git-dir', w.remote, 'update-ref', '-d', 'refs/heads/main'], { env: w.env });
    const again = await w.push(['origin', 'main']);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/theguard: push stopped: git push origin: create main/);
    expect(w.remoteRef('main')).toBeNull();
    expect(w.mails()).toHaveLength(2);
  });

  it('the same refs to another remote need their own code: the remote URL is part of the approval', async () => {
    w = new GitWorld();
    await w.init();
    const mirror = join(w.base, 'mirror.git');
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', mirror], { env: w.env });
    w.git('remote', 'add', 'mirror', mirror);
    await w.push(['origin', 'main']);
    expect((await w.verify()).code).toBe(0);
    const elsewhere = await w.push(['mirror', 'main']);
    expect(elsewhere.code).not.toBe(0);
    expect(elsewhere.stderr).toMatch(/theguard: push stopped: git push mirror: create main/);
    // Same name, other URL: still another operation.
    w.git('remote', 'set-url', 'origin', mirror);
    expect((await w.push(['origin', 'main'])).code).not.toBe(0);
    expect(execFileSync('git', ['--git-dir', mirror, 'for-each-ref'], { env: w.env, encoding: 'utf8' })).toBe('');
    // The approved push, to the approved URL, still goes through.
    w.git('remote', 'set-url', 'origin', w.remote);
    expect((await w.push(['origin', 'main'])).code).toBe(0);
  });
});

describe('what the email shows', () => {
  it('the repository, and of 26 new commits the count, the newest 20 subjects and how many more', async () => {
    w = new GitWorld();
    await w.init();
    for (let i = 2; i <= 26; i++) w.commit(`f${i}.txt`, `${i}\n`, `change number ${i}`);
    expect((await w.push(['origin', 'main'])).code).not.toBe(0);
    const mail = textPart(w.mails()[0] as string);
    expect(mail).toContain(`\n  Repository:   ${w.repo}\n`);
    expect(mail).toContain(`\n  Remote: origin (${w.remote})\n`);
    expect(mail).toMatch(/^ {2}Commits to publish: 26$/m);
    // Newest first: 26 down to 7; 6 more (2 to 6 and the first commit) are only counted.
    const listed = [...mail.matchAll(/^ {4}[0-9a-f]{7,} (.+)$/gm)].map((m) => m[1]);
    expect(listed).toEqual(Array.from({ length: 20 }, (_, i) => `change number ${26 - i}`));
    expect(mail).toMatch(/^ {4}… and 6 more \(the first 20 are listed\)$/m);
  });
});

/** The plain-text part of a delivered .eml, quoted-printable decoded. */
function textPart(eml: string): string {
  const qp = eml.replace(/\r\n/g, '\n').split(/^Content-Transfer-Encoding: quoted-printable\n\n/m)[1]?.split(/^--/m)[0] ?? '';
  const bytes = qp.replace(/=\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

describe('git push --dry-run', () => {
  it('git runs pre-push for a dry run exactly as for the real push, so the hook cannot tell them apart: a dry run uses up the approval', async () => {
    w = new GitWorld();
    // What git hands a pre-push hook (arguments, refs, environment), for a dry run and a real push.
    const recorder = join(w.base, 'recorder');
    const log = join(w.base, 'seen.log');
    execFileSync('mkdir', [recorder]);
    writeFileSync(join(recorder, 'pre-push'), `#!/bin/sh\n{ echo "args: $*"; cat; env | LC_ALL=C sort | grep -v '^_='; echo ---; } >> "${log}"\nexit 1\n`, { mode: 0o755 });
    w.git('config', 'core.hooksPath', recorder);
    await w.push(['--dry-run', 'origin', 'main']);
    await w.push(['origin', 'main']);
    const [dry, real] = readFileSync(log, 'utf8').split('---\n');
    expect(dry).toMatch(/^args: origin .*origin\.git\nrefs\/heads\/main [0-9a-f]{40} refs\/heads\/main 0{40}\n/);
    expect(dry).toBe(real);
    w.git('config', '--unset', 'core.hooksPath');

    await w.init();
    expect((await w.push(['origin', 'main'])).code).not.toBe(0);
    expect((await w.verify()).code).toBe(0);
    const dryRun = await w.push(['--dry-run', 'origin', 'main']);
    expect(dryRun.code).toBe(0);
    expect(dryRun.stderr).toMatch(/theguard: approved: git push origin: create main \(the approval is now used up\)/);
    expect(w.remoteRef('main')).toBeNull();
    const real2 = await w.push(['origin', 'main']);
    expect(real2.code).not.toBe(0);
    expect(real2.stderr).toMatch(/A code was sent/);
    expect(w.mails()).toHaveLength(2);
  });
});

describe('the installed hook does not depend on PATH', () => {
  it('a push with no node on PATH (only git) still runs the guard, by absolute path', async () => {
    w = new GitWorld();
    await w.init();
    // A PATH holding git and nothing else: no node, no npx.
    const bin = join(w.base, 'only-git');
    execFileSync('mkdir', [bin]);
    symlinkSync(execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim(), join(bin, 'git'));
    const env = { PATH: bin };
    expect(spawnSync('/bin/sh', ['-c', 'command -v node || command -v npx'], { env }).status).not.toBe(0);
    const stopped = await w.push(['origin', 'main'], { env });
    expect(stopped.code).not.toBe(0);
    expect(stopped.stderr).toMatch(/theguard: push stopped: git push origin: create main/);
    expect(stopped.stderr).toMatch(/A code was sent to j\*\*\*@e\*\*\*\.com/);
    expect((await w.verify()).code).toBe(0);
    expect((await w.push(['origin', 'main'], { env })).code).toBe(0);
    expect(w.remoteRef('main')).toBe(w.git('rev-parse', 'HEAD'));
  });
});

describe('what the hook lets through freely', () => {
  it('a feature branch pushes with no code; so do force and delete there, by default', async () => {
    w = new GitWorld();
    await w.init();
    w.git('checkout', '-q', '-b', 'feature/login');
    const one = w.commit('login.js', 'a\n', 'login');
    expect((await w.push(['origin', 'feature/login'])).code).toBe(0);
    expect(w.remoteRef('feature/login')).toBe(one);
    w.git('commit', '-q', '--amend', '-m', 'login, reworded');
    expect((await w.push(['--force', 'origin', 'feature/login'])).code).toBe(0);
    expect((await w.push(['origin', '--delete', 'feature/login'])).code).toBe(0);
    expect(w.remoteRef('feature/login')).toBeNull();
    expect(w.mails()).toHaveLength(0);
  });

  it('a new tag pushes with no code', async () => {
    w = new GitWorld();
    await w.init();
    w.git('tag', 'v1.0');
    expect((await w.push(['origin', 'v1.0'])).code).toBe(0);
    expect(w.remoteRef('refs/tags/v1.0')).not.toBeNull();
    expect(w.mails()).toHaveLength(0);
  });

  it('an up-to-date push runs the hook with no refs and passes', async () => {
    w = new GitWorld();
    await w.init();
    w.git('checkout', '-q', '-b', 'topic');
    await w.push(['origin', 'topic']);
    const res = await w.push(['origin', 'topic']);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/Everything up-to-date/);
  });
});

describe('destructive pushes need the delete tier', () => {
  /** main exists on the remote (pushed with an approval), at `base`. */
  async function publishedMain(): Promise<string> {
    await w.init();
    await w.push(['origin', 'main']);
    await w.verify();
    expect((await w.push(['origin', 'main'])).code).toBe(0);
    return w.git('rev-parse', 'HEAD');
  }

  it('a force push to main needs a delete-tier code, with its tighter limits', async () => {
    w = new GitWorld();
    const base = await publishedMain();
    w.git('commit', '-q', '--amend', '-m', 'rewritten history');
    const res = await w.push(['--force', 'origin', 'main']);
    expect(res.code).not.toBe(0);
    expect(w.remoteRef('main')).toBe(base);
    expect(res.stderr).toMatch(/refs\/heads\/main: force-pushes a protected branch \(delete tier\)/);
    const [pending] = (await status()).pending;
    expect(pending?.tier).toBe('delete');
    expect(pending?.maxAttempts).toBe(3);
    expect(pending?.params.updates).toEqual([expect.objectContaining({ ref: 'refs/heads/main', kind: 'force' })]);
    expect(w.mails()[1]).toMatch(/delete tier: destructive, irreversible/);
    expect(w.mails()[1]).toMatch(/force-push +main/);

    // The delete tier's cooldown: a second guess right after a wrong one is refused unchecked.
    expect((await w.verify({ offset: 1 })).stdout).toMatch(/Wrong code\. 2 attempt\(s\) left\./);
    expect((await w.verify()).stdout).toMatch(/Too soon: the delete tier allows one try every 10s/);
    expect((await w.push(['--force', 'origin', 'main'])).code).not.toBe(0);
    expect(w.remoteRef('main')).toBe(base);
  });

  it('a force push to main goes through with the delete-tier code', async () => {
    w = new GitWorld({ config: { email: { to: 'jane@example.com' }, delete: { cooldownSeconds: 0 } } });
    await publishedMain();
    const rewritten = (w.git('commit', '-q', '--amend', '-m', 'rewritten'), w.git('rev-parse', 'HEAD'));
    await w.push(['--force', 'origin', 'main']);
    expect((await w.verify()).code).toBe(0);
    expect((await w.push(['--force', 'origin', 'main'])).code).toBe(0);
    expect(w.remoteRef('main')).toBe(rewritten);
  });

  it('the email for a new protected branch lists only what the remote does not have yet', async () => {
    w = new GitWorld();
    await publishedMain();
    w.git('checkout', '-q', '-b', 'release/3');
    w.commit('fix.txt', 'fix\n', 'the fix');
    expect((await w.push(['origin', 'release/3'])).code).not.toBe(0);
    const mail = w.mails()[1] as string;
    expect(mail).toMatch(/Commits to publish: 1\r?\n +[0-9a-f]{7} the fix/);
    expect(mail).toMatch(/fix\.txt \| 1 \+/);
    expect(mail).not.toMatch(/README\.md \|/);
  });

  it('deleting main needs a delete-tier code', async () => {
    w = new GitWorld();
    const base = await publishedMain();
    const res = await w.push(['origin', '--delete', 'main']);
    expect(res.code).not.toBe(0);
    expect(w.remoteRef('main')).toBe(base);
    expect(res.stderr).toMatch(/deletes a protected branch \(delete tier\)/);
    expect((await status()).pending[0]?.tier).toBe('delete');
  });

  it('a remote commit this clone never saw counts as a force', async () => {
    w = new GitWorld();
    const base = await publishedMain();
    // Someone else pushes to main (straight into the bare remote, hooks off).
    const other = join(w.base, 'other');
    w.gitIn(w.base, 'clone', '-q', w.remote, other);
    w.commit('theirs.txt', 'x\n', 'their work', other);
    w.gitIn(other, 'push', '-q', '--no-verify', 'origin', 'main');
    w.commit('mine.txt', 'y\n', 'my work');
    const res = await w.push(['--force', 'origin', 'main']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/force-pushes a protected branch \(delete tier\)/);
    expect(w.remoteRef('main')).not.toBe(base);
  });

  it('deleting or overwriting a tag needs a delete-tier code', async () => {
    w = new GitWorld();
    w.git('tag', 'v1');
    await w.init();
    expect((await w.push(['origin', 'v1'])).code).toBe(0);
    const del = await w.push(['origin', '--delete', 'refs/tags/v1']);
    expect(del.code).not.toBe(0);
    expect(del.stderr).toMatch(/refs\/tags\/v1: deletes a tag \(delete tier\)/);
    w.commit('b.txt', 'b\n', 'b');
    w.git('tag', '-f', 'v1');
    const over = await w.push(['--force', 'origin', 'refs/tags/v1']);
    expect(over.code).not.toBe(0);
    expect(over.stderr).toMatch(/refs\/tags\/v1: overwrites a tag \(delete tier\)/);
    expect(w.remoteRef('refs/tags/v1')).not.toBe(w.git('rev-parse', 'v1'));
  });

  it('guardForceAndDeleteOnAllBranches puts force and delete of any branch under the delete tier', async () => {
    w = new GitWorld({ config: { email: { to: 'jane@example.com' }, push: { guardForceAndDeleteOnAllBranches: true } } });
    await w.init();
    w.git('checkout', '-q', '-b', 'topic');
    expect((await w.push(['origin', 'topic'])).code).toBe(0);
    const del = await w.push(['origin', '--delete', 'topic']);
    expect(del.code).not.toBe(0);
    expect(del.stderr).toMatch(/deletes a branch \(guardForceAndDeleteOnAllBranches\) \(delete tier\)/);
    expect(w.remoteRef('topic')).not.toBeNull();
  });

  it('one push touching several guarded refs needs one code, at the strictest tier', async () => {
    w = new GitWorld();
    const base = await publishedMain();
    w.git('branch', 'release/2');
    w.git('commit', '-q', '--amend', '-m', 'rewritten');
    const res = await w.push(['--force', 'origin', 'main', 'release/2']);
    expect(res.code).not.toBe(0);
    expect(w.mails()).toHaveLength(2);
    const [pending] = (await status()).pending;
    expect(pending?.tier).toBe('delete');
    expect(pending?.params.updates.map((u) => `${u.kind} ${u.ref}`)).toEqual(['force refs/heads/main', 'create refs/heads/release/2']);
    expect(w.remoteRef('main')).toBe(base);
  });
});

describe('protectedBranches', () => {
  it('globs: "*" stays within a segment, "**" crosses segments', async () => {
    w = new GitWorld({ config: { email: { to: 'jane@example.com' }, push: { protectedBranches: ['prod', 'team/*', 'release/**'] } } });
    await w.init();
    const free = ['main', 'team/a/b'];
    const guarded = ['prod', 'team/a', 'release/1.0/hotfix'];
    for (const b of free) expect((await w.push(['origin', `HEAD:refs/heads/${b}`])).code, b).toBe(0);
    for (const b of guarded) expect((await w.push(['origin', `HEAD:refs/heads/${b}`])).code, b).not.toBe(0);
    expect(w.mails()).toHaveLength(guarded.length);
  });
});

describe('fail closed', () => {
  it('an invalid configuration blocks every push and names the key and the fix', async () => {
    w = new GitWorld();
    await w.init();
    w.writeConfig({ email: { to: 'jane@example.com' }, push: { protectedBranches: ['refs/heads/main'] } });
    w.git('checkout', '-q', '-b', 'topic');
    const res = await w.push(['origin', 'topic']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/theguard: push stopped: .*\.theguard\.json is not valid/);
    expect(res.stderr).toMatch(/push\.protectedBranches\[0\]: must be a branch name without "refs\/heads\/"/);
    expect(w.remoteRef('topic')).toBeNull();
  });

  it('a launcher whose node is gone blocks the push and says how to repair it', async () => {
    w = new GitWorld();
    await w.init();
    const launcher = join(w.repo, '.git', 'theguard', 'pre-push');
    writeFileSync(launcher, readFileSync(launcher, 'utf8').replace(/^node='.*'$/m, "node='/nonexistent/node'"));
    w.git('checkout', '-q', '-b', 'topic');
    const res = await w.push(['origin', 'topic']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/cannot run the push guard/);
    expect(res.stderr).toMatch(/Fix: run `theguard init` again/);
    expect(w.remoteRef('topic')).toBeNull();
  });

  it('a delivery failure blocks the push and leaves nothing pending', async () => {
    w = new GitWorld();
    const blocker = join(w.base, 'not-a-dir');
    writeFileSync(blocker, 'x');
    w.writeConfig({ email: { to: 'jane@example.com', outbox: join(blocker, 'outbox') } });
    await w.init();
    const res = await w.push(['origin', 'main']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/theguard: push stopped: cannot write to the outbox/);
    expect(w.remoteRef('main')).toBeNull();
    expect((await status()).pending).toEqual([]);
  });

  it('with no terminal and emailFallback "terminal", the push fails closed and no code appears anywhere', async () => {
    w = new GitWorld();
    const blocker = join(w.base, 'not-a-dir');
    writeFileSync(blocker, 'x');
    w.writeConfig({ email: { to: 'jane@example.com', outbox: join(blocker, 'outbox') }, emailFallback: 'terminal' });
    await w.init();
    const { run } = await import('./helpers/sandbox.js');
    const res = await run('setsid', ['-w', 'git', 'push', 'origin', 'main'], { cwd: w.repo, env: w.env });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/this process has no controlling terminal; the operation stays blocked/);
    expect(res.stderr).not.toMatch(/\d{6}/);
    expect(res.stdout).not.toMatch(/\d{6}/);
    expect(w.remoteRef('main')).toBeNull();
    expect((await status()).pending).toEqual([]);
  });

  it('NODE_OPTIONS in the pushing environment cannot load code into the guard', async () => {
    w = new GitWorld();
    await w.init();
    const marker = join(w.base, 'injected');
    const evil = join(w.base, 'evil.cjs');
    writeFileSync(evil, `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); process.exit(0);\n`);
    const res = await w.push(['origin', 'main'], { env: { NODE_OPTIONS: `--require=${evil}` } });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/theguard: push stopped/);
    expect(existsSync(marker)).toBe(false);
    expect(w.remoteRef('main')).toBeNull();
  });

  it('input that is not what git sends is refused, with the problem and the fix', async () => {
    w = new GitWorld();
    await w.init();
    const { run } = await import('./helpers/sandbox.js');
    const launcher = join(w.repo, '.git', 'theguard', 'pre-push');
    const cases = [
      ['refs/heads/main abc refs/heads/main def\n', /line 1 is not what git sends: "abc" is not a sha1 object id/],
      ['refs/heads/main\n', /line 1 is not what git sends: expected 4 fields/],
      [`refs/heads/main ${'a'.repeat(40)} main ${'0'.repeat(40)}\n`, /the remote ref "main" is not a full ref name/],
    ] as const;
    for (const [input, message] of cases) {
      const res = await run(launcher, ['origin', w.remote], { cwd: w.repo, env: w.env, input });
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(message);
      expect(res.stderr).toMatch(/Fix: this input must come from git itself/);
    }
    const noArgs = await run(launcher, [], { cwd: w.repo, env: w.env, input: '' });
    expect(noArgs.code).toBe(1);
    expect(noArgs.stderr).toMatch(/the pre-push hook was called wrongly: expected the remote name and URL from git, got 0 argument\(s\)/);
  });
});

describe('repository shapes', () => {
  it('a SHA-256 repository: the zero id has 64 digits, and the whole flow works', async () => {
    w = new GitWorld({ objectFormat: 'sha256' });
    await w.init();
    const tip = w.git('rev-parse', 'HEAD');
    expect(tip).toHaveLength(64);
    expect((await w.push(['origin', 'main'])).code).not.toBe(0);
    const [pending] = (await status()).pending;
    expect(pending?.params.updates).toEqual([{ ref: 'refs/heads/main', kind: 'create', new: tip, old: '0'.repeat(64) }]);
    expect((await w.verify()).code).toBe(0);
    expect((await w.push(['origin', 'main'])).code).toBe(0);
    expect(w.remoteRef('main')).toBe(tip);
    w.git('checkout', '-q', '-b', 'topic');
    expect((await w.push(['origin', 'topic'])).code).toBe(0);
    expect((await w.push(['origin', '--delete', 'main'])).code).not.toBe(0);
    expect((await status()).pending[0]?.tier).toBe('delete');
  });

  it('a linked worktree: init there installs the one hook in the common git dir', async () => {
    w = new GitWorld();
    const wt = join(w.base, 'wt');
    w.git('worktree', 'add', '-q', '-b', 'wt-branch', wt);
    const res = await w.init(wt);
    expect(res.stdout).toMatch(/pre-push hook: installed .*\.git\/hooks\/pre-push/);
    w.commit('wt.txt', 'wt\n', 'from the worktree', wt);
    expect((await w.push(['origin', 'wt-branch'], { cwd: wt })).code).toBe(0);
    const stopped = await w.push(['origin', 'wt-branch:main'], { cwd: wt });
    expect(stopped.code).not.toBe(0);
    expect((await w.verify({ cwd: wt })).code).toBe(0);
    expect((await w.push(['origin', 'wt-branch:main'], { cwd: wt })).code).toBe(0);
    expect(w.remoteRef('main')).toBe(w.gitIn(wt, 'rev-parse', 'HEAD'));
  });

  it('a worktree added after init uses the main checkout\'s configuration and state: verify there approves its push', async () => {
    w = new GitWorld();
    await w.init();
    // .theguard.json is not committed: a new worktree does not have it.
    const wt = join(w.base, 'wt');
    w.git('worktree', 'add', '-q', '-b', 'wt-branch', wt);
    expect(existsSync(join(wt, '.theguard.json'))).toBe(false);
    const tip = w.commit('wt.txt', 'wt\n', 'from the worktree', wt);
    const stopped = await w.push(['origin', 'wt-branch:main'], { cwd: wt });
    expect(stopped.code).not.toBe(0);
    expect(stopped.stderr).toMatch(/A code was sent to j\*\*\*@e\*\*\*\.com/);
    expect(w.mails()[0]).toMatch(/^To: jane@example\.com$/m);
    expect(existsSync(join(wt, '.theguard'))).toBe(false);
    // The human, in the main checkout, sees and approves it.
    const verified = await w.verify();
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/Approved: git push origin: create main/);
    expect((await w.push(['origin', 'wt-branch:main'], { cwd: wt })).code).toBe(0);
    expect(w.remoteRef('main')).toBe(tip);
    const status = JSON.parse((await w.cli(['status', '--json'], { cwd: wt })).stdout) as { stateDir: string };
    expect(status.stateDir).toBe(join(w.repo, '.theguard'));
  });

  it('core.hooksPath: the hook goes where git looks', async () => {
    w = new GitWorld();
    w.git('config', 'core.hooksPath', '.githooks');
    const res = await w.init();
    expect(res.stdout).toMatch(/pre-push hook: installed \.githooks\/pre-push \(core\.hooksPath\)/);
    expect(readFileSync(join(w.repo, '.githooks', 'pre-push'), 'utf8')).toMatch(/theguard-managed pre-push hook/);
    expect((await w.push(['origin', 'main'])).code).not.toBe(0);
    expect(w.mails()).toHaveLength(1);
  });

  it('refuses a core.hooksPath from the global git config (a hook there runs for every repository)', async () => {
    w = new GitWorld();
    const globalHooks = join(w.base, 'global-hooks');
    w.gitIn(w.repo, 'config', '--global', 'core.hooksPath', globalHooks);
    const res = await w.cli(['init', '--email', 'jane@example.com', '--yes']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/core\.hooksPath is set in your global git config/);
    expect(res.stderr).toMatch(/Fix: set core\.hooksPath for this repository only/);
  });
});
