import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitWorld } from './helpers/git-world.js';
import { HOOK, callHook, parseDeny } from './helpers/hook.js';
import { run } from './helpers/sandbox.js';

/**
 * git aliases against the built PreToolUse hook and real git. Each world is a repository
 * on a feature branch whose local main is one commit ahead of the bare remote's, with
 * no pre-push hook installed (so the Claude Code hook gates pushes itself). An alias
 * is defined where git really reads it; the hook must stop the harmless-looking command
 * it makes dangerous, and real git then shows that the alias really does what the hook
 * judged.
 */
let w: GitWorld;
afterEach(() => w?.cleanup());

function world(): GitWorld {
  w = new GitWorld({ config: { email: { to: 'jane@example.com' } } });
  w.git('push', '-q', 'origin', 'main');
  w.commit('main.txt', 'ahead\n', 'main moves on');
  w.git('checkout', '-q', '-b', 'feature/x');
  w.commit('src/app.ts', 'app\n', 'sources');
  mkdirSync(join(w.repo, 'docs'));
  return w;
}

const home = () => w.env.HOME as string;
const bash = (command: string, cwd = w.repo) => run('bash', ['-c', command], { cwd, env: w.env });

describe('an alias that makes a harmless-looking command dangerous is stopped', () => {
  it('in .git/config: git p origin main pushes main', async () => {
    world();
    w.git('config', 'alias.p', 'push');
    const res = await callHook(w, 'Bash', { command: 'git p origin main' });
    expect(res.denied).toMatch(/main, a protected branch/);
    expect(res.denied).toMatch(/theguard verify/);
    // Real git: the alias really pushes main.
    const before = w.remoteRef('refs/heads/main');
    expect((await bash('git p -q origin main')).code).toBe(0);
    expect(w.remoteRef('refs/heads/main')).not.toBe(before);
  });

  it('in ~/.gitconfig (the sandbox HOME): git nuke is reset --hard', async () => {
    world();
    writeFileSync(join(home(), '.gitconfig'), '[alias]\n\tnuke = reset --hard HEAD~1\n');
    const res = await callHook(w, 'Bash', { command: 'git nuke' });
    expect(res.denied).toMatch(/reset --hard/);
    const head = w.git('rev-parse', 'HEAD');
    expect((await bash('git nuke -q')).code).toBe(0);
    expect(w.git('rev-parse', 'HEAD')).not.toBe(head);
  });

  it('in the file GIT_CONFIG_GLOBAL names, in the hook environment or inline', async () => {
    world();
    const file = join(w.base, 'global.conf');
    writeFileSync(file, '[alias]\n\tp = push\n');
    expect((await callHook(w, 'Bash', { command: 'git p origin main' }, { env: { GIT_CONFIG_GLOBAL: file } })).denied).toMatch(/main, a protected branch/);
    expect((await callHook(w, 'Bash', { command: `GIT_CONFIG_GLOBAL=${file} git p origin main` })).denied).not.toBeNull();
    expect((await bash(`GIT_CONFIG_GLOBAL=${file} git p --dry-run origin main`)).code).toBe(0);
  });

  it('through include.path: a shell alias runs rm -rf at the top of the work tree', async () => {
    world();
    writeFileSync(join(home(), '.gitconfig'), '[include]\n\tpath = dots/aliases.inc\n');
    mkdirSync(join(home(), 'dots'));
    writeFileSync(join(home(), 'dots/aliases.inc'), '[alias]\n\ttidy = "!rm -rf src"\n');
    const docs = join(w.repo, 'docs');
    const res = await callHook(w, 'Bash', { command: 'git tidy' }, { cwd: docs });
    expect(res.denied).toMatch(/rm -rf src/);
    // Run from docs/, git runs it at the top: the sources go, not docs/src.
    expect((await bash('git tidy', docs)).code).toBe(0);
    expect(existsSync(join(w.repo, 'src'))).toBe(false);
  });

  it('a config file theguard cannot read (over its size cap) makes the command opaque', async () => {
    world();
    w.git('config', 'include.path', join(w.base, 'big.inc'));
    writeFileSync(join(w.base, 'big.inc'), `# ${'x'.repeat(300 * 1024)}\n[alias]\n\tp = push\n`);
    const res = await callHook(w, 'Bash', { command: 'git p origin main' });
    expect(res.denied).toMatch(/may be a git alias, and .*big\.inc cannot be read/);
    expect(w.git('p', '--dry-run', 'origin', 'main')).toBe('');
  });

  it('a config file the hook cannot read (chmod 000) makes the command opaque', async () => {
    world();
    w.git('config', 'include.path', join(w.base, 'locked.inc'));
    writeFileSync(join(w.base, 'locked.inc'), '[alias]\n\tp = push\n\tst = status\n');
    // root reads any file: then the hook runs as nobody, in a world nobody may use.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) execFileSync('chmod', ['-R', 'a+rwX', w.base]);
    const hook = async (command: string) => {
      const payload = JSON.stringify({ session_id: 's', transcript_path: '/dev/null', cwd: w.repo, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: 't' });
      const argv = asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, HOOK] : [process.execPath, HOOK];
      const res = await run(argv[0] as string, argv.slice(1), { cwd: w.repo, env: w.env, input: payload });
      return parseDeny(res.stdout);
    };
    // Readable: judged by what the alias runs.
    expect(await hook('git st')).toBeNull();
    expect(await hook('git p origin main')).toMatch(/main, a protected branch/);
    chmodSync(join(w.base, 'locked.inc'), 0o000);
    expect(await hook('git st')).toMatch(/may be a git alias, and .*locked\.inc cannot be read/);
    expect(await hook('git p origin main')).toMatch(/locked\.inc cannot be read/);
    expect(await hook('git status')).toBeNull();
  });

  it('the hook reads the config without running git', async () => {
    // (A push is another matter: before leaving one to the pre-push hook, the hook asks git
    // where hooks live; so is `reset --hard`, where self-protection asks git which of
    // theguard's files have changes it would throw away.)
    world();
    w.git('config', 'alias.nuke', 'branch -D main');
    w.git('config', 'alias.st', 'status');
    const bin = join(w.base, 'fakebin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'git'), `#!/bin/sh\ntouch ${join(w.base, 'git-ran')}\n`, { mode: 0o755 });
    const env = { PATH: `${bin}:${process.env.PATH}` };
    expect((await callHook(w, 'Bash', { command: 'git nuke' }, { env })).denied).toMatch(/branch -D main/);
    expect((await callHook(w, 'Bash', { command: 'git st' }, { env })).denied).toBeNull();
    expect(existsSync(join(w.base, 'git-ran'))).toBe(false);
  });
});

describe('a benign alias is allowed', () => {
  it('alias.st = status, and a command that is not an alias', async () => {
    world();
    w.git('config', 'alias.st', 'status');
    writeFileSync(join(home(), '.gitconfig'), '[alias]\n\tlg = log --oneline\n');
    for (const command of ['git st', 'git lg -3', 'git status', 'git nosuchalias']) {
      const res = await callHook(w, 'Bash', { command });
      expect(res.denied, command).toBeNull();
    }
    expect((await bash('git st --short')).code).toBe(0);
    expect(w.mails()).toHaveLength(0);
  });
});
