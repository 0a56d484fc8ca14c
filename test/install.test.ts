import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitWorld } from './helpers/git-world.js';
import { lefthookBinary } from './helpers/lefthook.js';
import { ROOT, run } from './helpers/sandbox.js';

/**
 * `theguard init` in the hook layouts people have (git's hooks dir with or without an
 * earlier hook, husky, lefthook), `theguard uninstall` restoring them byte for byte,
 * and `theguard doctor` noticing when the hook stops being run.
 */
let w: GitWorld;
afterEach(() => w?.cleanup());

/** Every file and symlink under these dirs (git's object store and index aside): content or target, and mode. */
function snapshot(...dirs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, d.name);
      // git's and lefthook's own bookkeeping, and theguard's state dir (uninstall keeps it, on purpose).
      if (['objects', 'logs', 'index', 'refs', 'COMMIT_EDITMSG', 'ORIG_HEAD', 'lefthook.checksum', '.theguard'].includes(d.name)) continue;
      const st = lstatSync(p);
      if (d.isDirectory()) {
        out[`${relative(w.base, p)}/`] = (st.mode & 0o7777).toString(8);
        walk(p);
      } else if (d.isSymbolicLink()) out[relative(w.base, p)] = `-> ${readlinkSync(p)}`;
      else out[relative(w.base, p)] = `${(st.mode & 0o7777).toString(8)} ${readFileSync(p).toString('base64')}`;
    }
  };
  for (const d of dirs) walk(d);
  return out;
}

/** An earlier pre-push hook that records its arguments and stdin, then exits with `status`. */
function earlierHook(status: number): string {
  return `#!/bin/sh\necho "args: $*" > "${join(w!.base, 'earlier.log')}"\ncat >> "${join(w!.base, 'earlier.log')}"\nexit ${status}\n`;
}
const earlierLog = (): string => readFileSync(join(w.base, 'earlier.log'), 'utf8');

describe('an existing pre-push hook is kept and chained', () => {
  it('runs first, with the same arguments and refs on stdin; then theguard decides', async () => {
    w = new GitWorld();
    const hook = join(w.repo, '.git', 'hooks', 'pre-push');
    // A byte that is not UTF-8 (a Latin-1 comment): the kept copy must be the same bytes.
    const bytes = Buffer.concat([Buffer.from(earlierHook(0)), Buffer.from([0x23, 0x20, 0xe9, 0x0a])]);
    writeFileSync(hook, bytes, { mode: 0o755 });
    const res = await w.init();
    expect(res.stdout).toMatch(/the earlier pre-push hook runs first: \.git\/theguard\/chained-pre-push/);
    expect(readFileSync(join(w.repo, '.git', 'theguard', 'chained-pre-push')).equals(bytes)).toBe(true);
    const stopped = await w.push(['origin', 'main']);
    expect(stopped.code).not.toBe(0);
    const tip = w.git('rev-parse', 'HEAD');
    expect(earlierLog()).toBe(`args: origin ${w.remote}\nrefs/heads/main ${tip} refs/heads/main ${'0'.repeat(40)}\n`);
    expect(w.mails()).toHaveLength(1);
    await w.verify();
    expect((await w.push(['origin', 'main'])).code).toBe(0);
    expect(w.remoteRef('main')).toBe(tip);
  });

  it('when it fails, the push stops and no code is sent', async () => {
    w = new GitWorld();
    writeFileSync(join(w.repo, '.git', 'hooks', 'pre-push'), earlierHook(7), { mode: 0o755 });
    await w.init();
    const res = await w.push(['origin', 'main']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/the pre-push hook that runs before theguard failed \(exit 7\); no code was sent/);
    expect(earlierLog()).toMatch(/^refs\/heads\/main /m);
    expect(w.mails()).toHaveLength(0);
    expect(w.remoteRef('main')).toBeNull();
  });

  it('an earlier hook that exits without reading its input is judged by its exit status alone', async () => {
    w = new GitWorld();
    writeFileSync(join(w.repo, '.git', 'hooks', 'pre-push'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    await w.init();
    // 2000 new tags: far more ref lines than a pipe holds, so handing them to a hook
    // that never reads them is sure to hit EPIPE.
    const lines = Array.from({ length: 2000 }, (_, i) => `create refs/tags/t${String(i).padStart(4, '0')} HEAD`).join('\n');
    execFileSync('git', ['update-ref', '--stdin'], { cwd: w.repo, env: w.env, input: `${lines}\n` });
    const res = await w.push(['origin', '--tags']);
    expect(res.stderr).not.toMatch(/theguard:/);
    expect(res.code).toBe(0);
    expect(w.remoteRef('refs/tags/t1999')).not.toBeNull();
  });

  it('a symlinked hook is chained through its target and restored as the same symlink', async () => {
    w = new GitWorld();
    mkdirSync(join(w.repo, 'tools'));
    writeFileSync(join(w.repo, 'tools', 'pre-push.sh'), earlierHook(0), { mode: 0o755 });
    symlinkSync('../../tools/pre-push.sh', join(w.repo, '.git', 'hooks', 'pre-push'));
    const before = snapshot(w.repo);
    await w.init();
    expect((await w.push(['origin', 'main'])).code).not.toBe(0);
    expect(earlierLog()).toMatch(/^refs\/heads\/main /m);
    await w.cli(['uninstall']);
    expect(snapshot(w.repo)).toEqual(before);
  });

  it('a hook that is not executable (git never ran it) is not chained, and comes back on uninstall', async () => {
    w = new GitWorld();
    writeFileSync(join(w.repo, '.git', 'hooks', 'pre-push'), earlierHook(0), { mode: 0o644 });
    const before = snapshot(w.repo);
    const res = await w.init();
    expect(res.stdout).toMatch(/is not executable, so git never ran it; it is not chained/);
    await w.push(['origin', 'main']);
    expect(existsSync(join(w.base, 'earlier.log'))).toBe(false);
    await w.cli(['uninstall']);
    expect(snapshot(w.repo)).toEqual(before);
  });
});

describe('init and uninstall', () => {
  it('init twice changes nothing; uninstall restores every file byte for byte', async () => {
    w = new GitWorld();
    writeFileSync(join(w.repo, '.gitignore'), 'node_modules\n*.log'); // no final newline, on purpose
    chmodSync(join(w.repo, '.gitignore'), 0o640);
    writeFileSync(join(w.repo, '.git', 'hooks', 'pre-push'), earlierHook(0), { mode: 0o750 });
    const before = snapshot(w.repo);

    const first = await w.init();
    expect(first.stdout).toMatch(/config: wrote \.theguard\.json \(codes go to j\*\*\*@e\*\*\*\.com\)/);
    expect(first.stdout).toMatch(/gitignore: added \/\.theguard\/ to \.gitignore/);
    expect(readFileSync(join(w.repo, '.gitignore'), 'utf8')).toBe('node_modules\n*.log\n# theguard state: clearances, grants, audit log (added by theguard init)\n/.theguard/\n');
    const installed = snapshot(w.repo);
    expect(installed).not.toEqual(before);

    const second = await w.init();
    expect(second.stdout).toMatch(/Nothing to change: theguard is already set up here\./);
    expect(snapshot(w.repo)).toEqual(installed);

    await w.push(['origin', 'main']); // the hook ran and made the state dir: uninstall keeps it (the audit log)
    const un = await w.cli(['uninstall']);
    expect(un.code).toBe(0);
    expect(un.stdout).toMatch(/restored \.git\/hooks\/pre-push/);
    expect(un.stdout).toMatch(/removed \.theguard\.json/);
    expect(snapshot(w.repo)).toEqual(before);
    expect(existsSync(join(w.repo, '.theguard', 'audit.jsonl'))).toBe(true);
    expect((await w.cli(['uninstall'])).stdout).toMatch(/theguard is not installed in this repository/);
  });

  it('with core.hooksPath and an earlier hook there: uninstall restores every file byte for byte', async () => {
    w = new GitWorld();
    w.git('config', 'core.hooksPath', '.githooks');
    mkdirSync(join(w.repo, '.githooks'));
    writeFileSync(join(w.repo, '.githooks', 'pre-push'), earlierHook(0), { mode: 0o751 });
    const before = snapshot(w.repo);
    expect((await w.init()).stdout).toMatch(/pre-push hook: installed \.githooks\/pre-push \(core\.hooksPath\)/);
    expect(readFileSync(join(w.repo, '.githooks', 'pre-push'), 'utf8')).toMatch(/theguard-managed pre-push hook/);
    expect((await w.push(['origin', 'main'])).code).not.toBe(0);
    expect(earlierLog()).toMatch(/^refs\/heads\/main /m);
    expect(w.mails()).toHaveLength(1);
    const un = await w.cli(['uninstall']);
    expect(un.stdout).toMatch(/restored \.githooks\/pre-push/);
    expect(snapshot(w.repo)).toEqual(before);
  });

  it('init and uninstall from a linked worktree restore both checkouts byte for byte', async () => {
    w = new GitWorld();
    const wt = join(w.base, 'wt');
    w.git('worktree', 'add', '-q', '-b', 'wt-branch', wt);
    writeFileSync(join(w.repo, '.git', 'hooks', 'pre-push'), earlierHook(0), { mode: 0o755 });
    writeFileSync(join(wt, '.gitignore'), 'dist/\n');
    const before = snapshot(w.repo, wt);
    await w.init(wt);
    expect(snapshot(w.repo, wt)).not.toEqual(before);
    expect((await w.push(['origin', 'wt-branch:main'], { cwd: wt })).code).not.toBe(0);
    expect(w.mails()).toHaveLength(1);
    const un = await w.cli(['uninstall'], { cwd: wt });
    expect(un.code).toBe(0);
    expect(un.stdout).toMatch(/restored .*\/repo\/\.git\/hooks\/pre-push/);
    expect(un.stdout).toMatch(/removed .*\/repo\/\.git\/theguard\/chained-pre-push/);
    expect(snapshot(w.repo, wt)).toEqual(before);
  });

  it('uninstall keeps edits made since init and takes out only theguard\'s part', async () => {
    w = new GitWorld();
    writeFileSync(join(w.repo, '.gitignore'), 'dist/\n');
    await w.init();
    writeFileSync(join(w.repo, '.gitignore'), `${readFileSync(join(w.repo, '.gitignore'), 'utf8')}coverage/\n`);
    const un = await w.cli(['uninstall']);
    expect(un.stdout).toMatch(/\.gitignore: removed theguard's part; kept the edits made since init/);
    expect(readFileSync(join(w.repo, '.gitignore'), 'utf8')).toBe('dist/\ncoverage/\n');
  });

  it('an existing configuration is kept; --email then only notes that it was not applied', async () => {
    w = new GitWorld({ config: { email: { to: 'bob@example.org' } } });
    const res = await w.init();
    expect(res.stdout).toMatch(/config: kept \.theguard\.json \(codes go to b\*\*\*@e\*\*\*\.org\)/);
    expect(res.stdout).toMatch(/--email was not applied/);
    expect(JSON.parse(readFileSync(join(w.repo, '.theguard.json'), 'utf8'))).toEqual({ email: { to: 'bob@example.org' } });
  });

  it('without an address and without a terminal, init says how to give one and changes nothing', async () => {
    w = new GitWorld();
    const before = snapshot(w.repo);
    const res = await w.cli(['init', '--yes']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/theguard needs the address codes are sent to/);
    expect(res.stderr).toMatch(/Fix: run `theguard init --email you@example\.com`/);
    const bad = await w.cli(['init', '--email', 'not-an-address', '--yes']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/email\.to must be an email address/);
    expect(snapshot(w.repo)).toEqual(before);
  });

  it("warns when theguard runs from npx's cache, which npm may clear", async () => {
    w = new GitWorld();
    const npx = join(w.base, '_npx', '0123abcd');
    mkdirSync(npx, { recursive: true });
    cpSync(join(ROOT, 'dist'), join(npx, 'dist'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(npx, 'node_modules'));
    const res = await run(process.execPath, [join(npx, 'dist', 'cli.js'), 'init', '--email', 'jane@example.com', '--yes'], { cwd: w.repo, env: w.env });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/WARNING: theguard is running from npx's cache/);
    expect(res.stdout).toMatch(/Fix: install theguard \(`npm install -D theguard`, or -g\), then run `theguard init` again\./);
    expect((await w.init()).stdout).not.toMatch(/npx's cache/);
  });

  it('outside a git work tree, init says so', async () => {
    w = new GitWorld();
    const res = await w.cli(['init', '--email', 'jane@example.com', '--yes'], { cwd: w.base });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/is not inside a git work tree/);
  });
});

describe('husky (v9, the real package)', () => {
  function huskyRepo(script: string | null): void {
    if (script !== null) {
      mkdirSync(join(w.repo, '.husky'), { recursive: true });
      writeFileSync(join(w.repo, '.husky', 'pre-push'), script);
    }
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'husky', 'bin.js')], { cwd: w.repo, env: w.env });
    expect(w.git('config', 'core.hooksPath')).toBe('.husky/_');
  }

  it('theguard goes into .husky/pre-push; the user script runs first with the refs, then the guard', async () => {
    w = new GitWorld();
    const userScript = `echo "husky user script" > "${join(w.base, 'earlier.log')}"\ncat >> "${join(w.base, 'earlier.log')}"\n`;
    huskyRepo(userScript);
    const before = snapshot(w.repo);
    const res = await w.init();
    expect(res.stdout).toMatch(/pre-push hook: added to \.husky\/pre-push \(husky\)/);
    const script = readFileSync(join(w.repo, '.husky', 'pre-push'), 'utf8');
    expect(script.startsWith('# >>> theguard')).toBe(true);
    expect(script.endsWith(userScript)).toBe(true);
    const installed = snapshot(w.repo);
    expect((await w.init()).stdout).toMatch(/Nothing to change: theguard is already set up here\./);
    expect(snapshot(w.repo)).toEqual(installed);

    const stopped = await w.push(['origin', 'main']);
    expect(stopped.code).not.toBe(0);
    expect(stopped.stderr).toMatch(/theguard: push stopped: git push origin: create main/);
    expect(earlierLog()).toBe(`husky user script\nrefs/heads/main ${w.git('rev-parse', 'HEAD')} refs/heads/main ${'0'.repeat(40)}\n`);
    await w.verify();
    expect((await w.push(['origin', 'main'])).code).toBe(0);
    expect((await w.cli(['doctor'])).stdout).toMatch(/\[ok {2}\] pre-push hook: \.husky\/pre-push \(husky\)/);

    await w.cli(['uninstall']);
    expect(snapshot(w.repo)).toEqual(before);
  });

  it('a failing husky script stops the push before any code is sent; an exit 0 at its end cannot skip the guard', async () => {
    w = new GitWorld();
    huskyRepo('exit 0\n');
    await w.init();
    const res = await w.push(['origin', 'main']);
    expect(res.code).not.toBe(0);
    expect(w.mails()).toHaveLength(1);
    writeFileSync(join(w.repo, '.husky', 'pre-push'), `${readFileSync(join(w.repo, '.husky', 'pre-push'), 'utf8').replace('exit 0', 'false')}`);
    w.commit('b.txt', 'b\n', 'b');
    const failed = await w.push(['origin', 'main']);
    expect(failed.stderr).toMatch(/the pre-push hook that runs before theguard failed \(exit 1\); no code was sent/);
    expect(w.mails()).toHaveLength(1);
  });

  it('a failing command early in the husky script (sh -e) stops the push before theguard: no code, and an approval is not used up', async () => {
    w = new GitWorld();
    const pass = join(w.base, 'tests-pass');
    huskyRepo(`echo checking\ntest -f "${pass}"\necho "tests passed"\n`);
    await w.init();
    const failed = await w.push(['origin', 'main']);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/the pre-push hook that runs before theguard failed \(exit 1\); no code was sent/);
    expect(failed.stdout).not.toMatch(/tests passed/);
    expect(w.mails()).toHaveLength(0);

    writeFileSync(pass, '');
    expect((await w.push(['origin', 'main'])).code).not.toBe(0);
    expect((await w.verify()).code).toBe(0);
    rmSync(pass);
    expect((await w.push(['origin', 'main'])).code).not.toBe(0);
    expect(w.remoteRef('main')).toBeNull();
    writeFileSync(pass, '');
    expect((await w.push(['origin', 'main'])).code).toBe(0); // the same approval, unused so far
    expect(w.mails()).toHaveLength(1);
  });

  it('with no .husky/pre-push yet, init creates it, and uninstall removes it', async () => {
    w = new GitWorld();
    huskyRepo(null);
    const before = snapshot(w.repo);
    await w.init();
    expect((await w.push(['origin', 'main'])).code).not.toBe(0);
    expect(w.mails()).toHaveLength(1);
    await w.cli(['uninstall']);
    expect(snapshot(w.repo)).toEqual(before);
  });
});

describe('lefthook (the real binary)', () => {
  const LEFTHOOK_YML = [
    '# project hooks',
    'pre-commit:',
    '  commands:',
    '    lint:',
    '      run: echo lint',
    'pre-push:',
    '  commands:',
    '    tests:',
    '      run: echo tests-ran',
    '',
  ].join('\n');

  function lefthookRepo(yml: string): NodeJS.ProcessEnv {
    const bin = lefthookBinary();
    writeFileSync(join(w.repo, 'lefthook.yml'), yml);
    const env = { ...w.env, LEFTHOOK_BIN: bin };
    execFileSync(bin, ['install'], { cwd: w.repo, env });
    return env;
  }

  it('the theguard job goes under pre-push, last and piped; lefthook runs it with the refs; init twice changes nothing; uninstall restores the yml', async () => {
    w = new GitWorld();
    const env = lefthookRepo(LEFTHOOK_YML);
    const before = snapshot(w.repo);
    const res = await w.init();
    expect(res.stdout).toMatch(/pre-push hook: added the zz-theguard job to lefthook\.yml \(lefthook\)/);
    expect(res.stdout).toMatch(/note: theguard set `piped: true` on lefthook's pre-push hook/);
    const yml = readFileSync(join(w.repo, 'lefthook.yml'), 'utf8');
    expect(yml).toContain([
      'pre-push:',
      '  # >>> theguard: push guard (managed by `theguard init`; `theguard uninstall` removes it)',
      '  piped: true',
      '  # <<< theguard',
      '  commands:',
      '    # >>> theguard: push guard (managed by `theguard init`; `theguard uninstall` removes it)',
      '    zz-theguard:',
      '      run: |',
      `        exec "$(git rev-parse --git-common-dir)/theguard/pre-push" --args-fd 3 3<<'THEGUARD_GIT_ARGS'`,
      '        {1}',
      '        {2}',
      '        {files}',
      '        THEGUARD_GIT_ARGS',
      '      files: echo lefthook.yml',
      '      use_stdin: true',
      '    # <<< theguard',
      '    tests:',
    ].join('\n'));
    const installed = snapshot(w.repo);
    expect((await w.init()).stdout).toMatch(/Nothing to change: theguard is already set up here\./);
    expect(snapshot(w.repo)).toEqual(installed);

    const stopped = await w.push(['origin', 'main'], { env });
    expect(stopped.code).not.toBe(0);
    expect(`${stopped.stdout}${stopped.stderr}`).toMatch(/theguard: push stopped: git push origin: create main/);
    expect(w.mails()).toHaveLength(1);
    expect((await w.verify()).code).toBe(0);
    expect((await w.push(['origin', 'main'], { env })).code).toBe(0);
    expect(w.remoteRef('main')).toBe(w.git('rev-parse', 'HEAD'));
    expect((await w.cli(['doctor'])).stdout).toMatch(/\[ok {2}\] pre-push hook: lefthook\.yml \(lefthook\)/);

    await w.cli(['uninstall']);
    expect(snapshot(w.repo)).toEqual(before);
  });

  it('a failing pre-push command stops the push before theguard: no code is sent, and an approval is not used up', async () => {
    w = new GitWorld();
    // "unit" sorts after "theguard": lefthook would run it after a job of that name.
    const failing = LEFTHOOK_YML.replace('    tests:\n      run: echo tests-ran\n', '    unit:\n      run: exit 1\n');
    const env = lefthookRepo(failing);
    await w.init();
    const first = await w.push(['origin', 'main'], { env });
    expect(first.code).not.toBe(0);
    expect(`${first.stdout}${first.stderr}`).toMatch(/zz-theguard \(skip\) broken pipe/);
    expect(w.mails()).toHaveLength(0);

    // An approval exists for this push (the tests passed then); the tests now fail.
    writeFileSync(join(w.repo, 'lefthook.yml'), readFileSync(join(w.repo, 'lefthook.yml'), 'utf8').replace('run: exit 1', 'run: "true"'));
    expect((await w.push(['origin', 'main'], { env })).code).not.toBe(0);
    expect((await w.verify()).code).toBe(0);
    writeFileSync(join(w.repo, 'lefthook.yml'), readFileSync(join(w.repo, 'lefthook.yml'), 'utf8').replace('run: "true"', 'run: exit 1'));
    expect((await w.push(['origin', 'main'], { env })).code).not.toBe(0);
    expect(w.remoteRef('main')).toBeNull();
    // Fixed: the same approval still lets this push through, with no new code.
    writeFileSync(join(w.repo, 'lefthook.yml'), readFileSync(join(w.repo, 'lefthook.yml'), 'utf8').replace('run: exit 1', 'run: "true"'));
    expect((await w.push(['origin', 'main'], { env })).code).toBe(0);
    expect(w.mails()).toHaveLength(1);
    expect(w.remoteRef('main')).toBe(w.git('rev-parse', 'HEAD'));
  });

  it('a push that changes no files against the upstream is still guarded (lefthook skips such jobs without {files})', async () => {
    w = new GitWorld();
    const env = lefthookRepo(LEFTHOOK_YML);
    const old = w.git('rev-parse', 'HEAD');
    w.commit('b.txt', 'b\n', 'b');
    await w.init();
    w.git('push', '-q', '--no-verify', '-u', 'origin', 'main');
    // HEAD equals its upstream, so lefthook's push files are empty: it skips plain jobs.
    const rewind = await w.push(['--force', 'origin', `${old}:refs/heads/main`], { env });
    expect(`${rewind.stdout}${rewind.stderr}`).toMatch(/tests \(skip\) no matching push files/);
    expect(rewind.code).not.toBe(0);
    expect(rewind.stderr).toMatch(/theguard: push stopped: git push origin: force-push main/);
    expect(w.remoteRef('main')).toBe(w.git('rev-parse', 'HEAD'));
    w.git('branch', 'release/1', old);
    w.git('push', '-q', '--no-verify', 'origin', 'release/1');
    expect((await w.push(['origin', ':release/1'], { env })).code).not.toBe(0);
    expect(w.remoteRef('release/1')).toBe(old);
    expect(w.mails()).toHaveLength(2);
  });

  it('a remote URL holding shell code cannot make the job pass: git\'s arguments never reach the shell', async () => {
    w = new GitWorld();
    const env = lefthookRepo(LEFTHOOK_YML);
    await w.init();
    // A real path to the bare remote: git pushes there, and lefthook pastes {1} {2} into sh -c.
    const evil = join(w.base, 'x;:;exit;');
    mkdirSync(evil);
    const url = `${evil}/../origin.git`;
    const res = await w.push([url, 'main'], { env });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/theguard: push stopped: git push .*x;:;exit;\/\.\.\/origin\.git: create main/);
    expect(w.remoteRef('main')).toBeNull();
    // A line break would end the here-document early: refused, never run as shell code.
    const broken = join(w.base, 'n\nTHEGUARD_GIT_ARGS\ntouch pwned\n');
    mkdirSync(broken);
    const nl = await w.push([`${broken}/../origin.git`, 'main'], { env });
    expect(nl.code).not.toBe(0);
    expect(nl.stderr).toMatch(/did not arrive intact through lefthook/);
    expect(existsSync(join(w.repo, 'pwned'))).toBe(false); // lefthook runs jobs at the repository root
    expect(w.remoteRef('main')).toBeNull();
  });

  it('a lefthook.yml without pre-push gets the whole entry, and lefthook runs it', async () => {
    w = new GitWorld();
    const env = lefthookRepo('pre-commit:\n  commands:\n    lint:\n      run: echo lint\n');
    const res = await w.init();
    // lefthook installed only the hooks its config named, so it must install pre-push now.
    expect(res.stdout).toMatch(/WARNING: lefthook's own pre-push hook is not installed[^]*Fix: run `npx lefthook install`/);
    execFileSync(env.LEFTHOOK_BIN as string, ['install'], { cwd: w.repo, env });
    expect((await w.cli(['doctor'])).code).toBe(0);
    w.git('checkout', '-q', '-b', 'topic');
    expect((await w.push(['origin', 'topic'], { env })).code).toBe(0);
    expect((await w.push(['origin', 'topic:main'], { env })).code).not.toBe(0);
    expect(w.mails()).toHaveLength(1);
  });

  it('doctor fails when lefthook\'s own hook is not installed', async () => {
    w = new GitWorld();
    writeFileSync(join(w.repo, 'lefthook.yml'), LEFTHOOK_YML);
    const res = await w.init();
    expect(res.stdout).toMatch(/WARNING: lefthook's own pre-push hook is not installed/);
    const doc = await w.cli(['doctor']);
    expect(doc.code).toBe(1);
    expect(doc.stdout).toMatch(/\[FAIL\] pre-push hook: lefthook's own pre-push hook is not installed/);
    expect(doc.stdout).toMatch(/Fix: run `npx lefthook install`/);
  });
});

describe('theguard doctor and the pre-push hook', () => {
  it('reports not installed, then ok, then each way the hook can stop running', async () => {
    w = new GitWorld();
    expect((await w.cli(['doctor'])).stdout).toMatch(/\[WARN\] pre-push hook: not installed; pushes are not guarded/);
    await w.init();
    const ok = await w.cli(['doctor']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/\[ok {2}\] pre-push launcher: \.git\/theguard\/pre-push runs .*dist\/hooks\/pre-push\.js with /);
    expect(ok.stdout).toMatch(/\[ok {2}\] pre-push hook: \.git\/hooks\/pre-push \(git hooks dir\)/);

    w.git('config', 'core.hooksPath', '.elsewhere');
    const moved = await w.cli(['doctor']);
    expect(moved.code).toBe(1);
    expect(moved.stdout).toMatch(/\[FAIL\] pre-push hook: core\.hooksPath moved: git now runs hooks from \.elsewhere/);
    w.git('config', '--unset', 'core.hooksPath');

    chmodSync(join(w.repo, '.git', 'hooks', 'pre-push'), 0o644);
    const notExec = await w.cli(['doctor']);
    expect(notExec.code).toBe(1);
    expect(notExec.stdout).toMatch(/\[FAIL\] pre-push hook: \.git\/hooks\/pre-push is not executable, so git skips it/);
    chmodSync(join(w.repo, '.git', 'hooks', 'pre-push'), 0o755);

    const launcher = join(w.repo, '.git', 'theguard', 'pre-push');
    writeFileSync(launcher, readFileSync(launcher, 'utf8').replace(/^hook='.*'$/m, "hook='/nonexistent/pre-push.js'"));
    const broken = await w.cli(['doctor']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/\[FAIL\] pre-push hook does not start/);
    expect(broken.stdout).toMatch(/cannot run the push guard/);

    await w.init(); // repairs it
    expect((await w.cli(['doctor'])).code).toBe(0);
  });
});
