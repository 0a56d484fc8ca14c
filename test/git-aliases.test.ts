import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Decision, analyseBash, decideBash, decisionContext, quickDecision } from '../src/core/decide/index.js';
import { mayRunGitAlias } from '../src/core/decide/may-run-git-alias.js';
import { analyse } from '../src/core/shell/analyse.js';
import { GIT_BUILTINS } from '../src/core/shell/git-builtins.js';
import { parseGitConfig } from '../src/core/shell/git-config.js';
import { readSmallFile } from '../src/core/shell/script-files.js';
import { approximate } from '../src/core/shell/words.js';

/**
 * git aliases: `git p origin main` with `alias.p = push` is a push. The analyser reads
 * the config files git reads (without running git) and walks every definition; the fast
 * path sends any git command whose subcommand is not one of git's own to it.
 */
let base: string;
let proj: string;
let home: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'theguard-alias-'));
  proj = join(base, 'proj');
  home = join(base, 'home');
  mkdirSync(home);
  execFileSync('git', ['init', '-q', '-b', 'feature/x', proj], { env: { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1' } });
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(base, rel)), { recursive: true });
    writeFileSync(join(base, rel), text);
  }
}

const env = (extra: Record<string, string> = {}) => ({ HOME: home, ...extra });

/** What the command runs, as "argv..." strings. */
function runs(command: string, o: { cwd?: string; env?: Record<string, string> } = {}): string[] {
  const a = analyse(command, { cwd: o.cwd ?? proj, home, env: env(o.env), readFile: readSmallFile });
  return a.invocations.filter((i) => i.argv.length > 0).map((i) => i.argv.map((w) => approximate(w, i.vars)).join(' '));
}

function opaque(command: string, o: { env?: Record<string, string> } = {}): string[] {
  return analyse(command, { cwd: proj, home, env: env(o.env), readFile: readSmallFile }).opaque.map((x) => x.why);
}

function decide(command: string, o: { cwd?: string; env?: Record<string, string> } = {}): string {
  const d = decideBash(command, ctx(o));
  return d.action === 'verify' ? `verify:${d.tier}` : d.action;
}

function ctx(o: { cwd?: string; env?: Record<string, string> } = {}) {
  return decisionContext({ cwd: o.cwd ?? proj, projectRoot: proj, env: env(o.env), prePushHook: false, tempDirs: ['/var/tmp'], config: { stateDir: join(proj, '.theguard'), rules: [] } });
}

describe('aliases are read from every config file git reads', () => {
  it.each([
    ['the repository config', 'proj/.git/config'],
    ['the worktree config', 'proj/.git/config.worktree'],
    ['~/.gitconfig', 'home/.gitconfig'],
    ['$XDG_CONFIG_HOME/git/config', 'xdg/git/config'],
    ['~/.config/git/config (no XDG_CONFIG_HOME)', 'home/.config/git/config'],
  ])('%s', (_, file) => {
    write({ [file]: '[alias]\n\tp = push\n' });
    const o = { env: file.startsWith('xdg/') ? { XDG_CONFIG_HOME: join(base, 'xdg') } : ({} as Record<string, string>) };
    expect(runs('git p origin main', o)).toContain('git push origin main');
    expect(decide('git p origin main', o)).toBe('verify:push');
  });

  it('GIT_CONFIG_GLOBAL and GIT_CONFIG_SYSTEM, from the hook environment and inline', () => {
    write({ 'g.conf': '[alias]\n\tp = push\n', 's.conf': '[alias]\n\tq = push\n' });
    expect(runs('git p origin main', { env: { GIT_CONFIG_GLOBAL: join(base, 'g.conf') } })).toContain('git push origin main');
    expect(runs('git q origin main', { env: { GIT_CONFIG_SYSTEM: join(base, 's.conf') } })).toContain('git push origin main');
    expect(runs(`GIT_CONFIG_GLOBAL=${join(base, 'g.conf')} git p origin main`)).toContain('git push origin main');
    expect(runs(`export GIT_CONFIG_GLOBAL=${join(base, 'g.conf')}; git p origin main`)).toContain('git push origin main');
    expect(runs('git p origin main')).not.toContain('git push origin main');
    // Unknown: the command is opaque.
    expect(opaque('GIT_CONFIG_GLOBAL=$(mktemp) git p origin main').join()).toMatch(/may be a git alias/);
    // /dev/null, as CI sets it, is an empty file.
    expect(opaque('git p', { env: { GIT_CONFIG_GLOBAL: '/dev/null' } })).toEqual([]);
  });

  it('include.path (relative, ~/) and includeIf, whatever the condition', () => {
    write({
      'home/.gitconfig': '[include]\n\tpath = more.inc\n[include]\n\tpath = ~/dots/x.inc\n[includeIf "gitdir:/nowhere/"]\n\tpath = /' + join(base, 'cond.inc').slice(1) + '\n',
      'home/more.inc': '[alias]\n\ta = push\n',
      'home/dots/x.inc': '[alias]\n\tb = reset --hard\n',
      'cond.inc': '[alias]\n\tc = !rm -rf ~\n',
    });
    expect(runs('git a origin main')).toContain('git push origin main');
    expect(runs('git b')).toContain('git reset --hard');
    expect(decide('git b')).toBe('verify:delete');
    expect(runs('git c')).toContain('rm -rf ~');
    // Gated as rm -rf ~, or refused outright where the home dir holds theguard's files (~/.claude/settings.json).
    expect(['verify:delete', 'block']).toContain(decide('git c'));
  });

  it('a linked worktree reads the main repository config; a bare repository its own', () => {
    write({ 'proj/README': 'x\n' });
    const g = (...a: string[]) => execFileSync('git', a, { cwd: proj, env: { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' } });
    g('add', 'README');
    g('commit', '-qm', 'x');
    g('worktree', 'add', '-q', join(base, 'wt'));
    g('config', 'alias.p', 'push');
    expect(runs('git p origin main', { cwd: join(base, 'wt') })).toContain('git push origin main');
    execFileSync('git', ['init', '-q', '--bare', join(base, 'bare.git')]);
    execFileSync('git', ['--git-dir', join(base, 'bare.git'), 'config', 'alias.zap', '!rm -rf ~']);
    expect(runs(`git -C ${join(base, 'bare.git')} zap`)).toContain('rm -rf ~');
  });

  it('a .git planted in a subdirectory does not hide the repository around it', () => {
    write({ 'proj/.git/config': '[alias]\n\tp = push\n', 'proj/sub/.git/HEAD': 'garbage\n' });
    expect(runs('git p origin main', { cwd: join(proj, 'sub') })).toContain('git push origin main');
  });

  it('every definition is judged, not only the one git would pick', () => {
    write({ 'home/.gitconfig': '[alias]\n\tp = push\n', 'proj/.git/config': '[alias]\n\tp = status\n' });
    expect(runs('git p origin main')).toEqual(expect.arrayContaining(['git push origin main', 'git status origin main']));
  });

  it('names: case-insensitive, and `[alias "a"] b` defines a.b; git STATUS is not git status', () => {
    write({ 'proj/.git/config': '[Alias]\n\tNuke = reset --hard\n\tstatus = push\n[alias "status x"]\n\ty = push\n' });
    expect(runs('git NUKE')).toContain('git reset --hard');
    expect(runs('git STATUS origin main')).toContain('git push origin main');
    expect(runs('git status origin main')).toEqual(['git status origin main']);
    expect(runs('git "status x.y" origin main')).toContain('git push origin main');
  });

  it('shell aliases run at the top of the work tree, with the arguments appended', () => {
    write({ 'proj/.git/config': '[alias]\n\twipe = "!rm -rf"\n', 'proj/src/a.ts': '' });
    expect(decide('git wipe src', { cwd: join(proj, 'src') })).toBe('verify:delete');
    expect(runs('git wipe src', { cwd: join(proj, 'src') })).toContain('rm -rf src');
  });

  it('git -C DIR and option values before the subcommand', () => {
    write({ 'other/.git/HEAD': 'ref: refs/heads/main\n', 'other/.git/config': '[alias]\n\tp = push\n' });
    expect(runs('git -C ../other p origin main')).toContain('git -C ../other push origin main');
    expect(runs('git --no-pager -C ../other p origin main')).toContain('git --no-pager -C ../other push origin main');
  });
});

describe('aliases defined on the command line', () => {
  it('-c alias.x=..., --config-env, and a git config earlier in the same line', () => {
    expect(runs("git -c alias.p=push p origin main")).toContain('git -c alias.p=push push origin main');
    expect(runs('X=push; git --config-env=alias.p=X p origin main')).toContain('git --config-env=alias.p=X push origin main');
    expect(opaque('git --config-env=alias.p=NOPE p origin main').join()).toMatch(/--config-env/);
    expect(decide('git config alias.p push && git p origin main')).toBe('verify:push');
    expect(decide('git config --global alias.nuke "!rm -rf ~"; git nuke')).toBe('verify:delete');
    expect(opaque('git config alias.p "$V"; git p origin main').join()).toMatch(/may be a git alias/);
  });

  it('a shell alias passes its -c settings on to the git it runs', () => {
    expect(runs("git -c alias.p=push -c alias.q='!git p origin main' q")).toContain('git push origin main');
  });

  it('a config file written earlier in the same line is unknown', () => {
    expect(opaque("printf '[alias]\\n p = push\\n' >> .git/config; git p origin main").join()).toMatch(/written earlier/);
    expect(opaque('cp /tmp/x ~/.gitconfig && git p origin main').join()).toMatch(/written earlier/);
  });

  it('git init --template copies the template config into the new repository', () => {
    write({ 'tpl/config': '[alias]\n\tp = push\n' });
    expect(runs(`git init -q --template=${join(base, 'tpl')} n && cd n && git p origin main`)).toContain('git push origin main');
  });
});

describe('what theguard cannot read makes the command opaque', () => {
  it('an unreadable or oversized config file', () => {
    write({ 'proj/.git/config': `[include]\n\tpath = ${join(base, 'big.inc')}\n`, 'big.inc': `# ${'x'.repeat(300 * 1024)}\n[alias]\n\tp = push\n` });
    expect(opaque('git p origin main').join()).toMatch(/cannot be read/);
    expect(decideBash('git p origin main', ctx())).toMatchObject({ action: 'block', ruleIds: ['shell.opaque'] });
    // A builtin is never an alias: nothing is read.
    expect(decide('git status')).toBe('allow');
  });

  it('an include loop, a remote command, an unknown directory, configuration in the environment', () => {
    write({ 'home/.gitconfig': '[include]\n\tpath = ~/.gitconfig\n' });
    expect(opaque('git p').join()).toMatch(/includes more files/);
    rmSync(join(home, '.gitconfig'));
    expect(opaque('ssh host git lg').join()).toMatch(/which directory/);
    expect(opaque('cd "$X" && git lg').join()).toMatch(/which directory/);
    expect(opaque('git --git-dir=/x/.git lg').join()).toMatch(/--git-dir/);
    expect(opaque('git lg', { env: { GIT_CONFIG_PARAMETERS: "'alias.lg'='push'" } }).join()).toMatch(/GIT_CONFIG_PARAMETERS/);
  });

  it('alias loops end as git ends them; a shell alias that recurses hits the depth cap and is refused', () => {
    write({ 'proj/.git/config': '[alias]\n\ta = b\n\tb = a\n\tc = c\n\td = push\n\td = d\n' });
    expect(runs('git a')).toEqual(['git a', 'git b', 'git a']);
    expect(runs('git c')).toEqual(['git c', 'git c']);
    expect(runs('git d origin main')).toContain('git push origin main');
    write({ 'proj/.git/config': '[alias]\n\tx = !git x\n' });
    expect(decideBash('git x', ctx())).toMatchObject({ action: 'block', ruleIds: ['shell.unanalysable'] });
  });

  it('an alias chain longer than the depth cap is refused, though it names nothing guarded', () => {
    const chain = Array.from({ length: 20 }, (_, i) => `\ta${i} = a${i + 1}\n`).join('');
    write({ 'proj/.git/config': `[alias]\n${chain}\ta20 = push origin main\n` });
    const d = decideBash('git a0', ctx());
    expect(d).toMatchObject({ action: 'block', ruleIds: ['shell.unanalysable'] });
    expect((d as { reason: string }).reason).toMatch(/may be an alias/);
  });

  it('a benign alias is allowed', () => {
    write({ 'proj/.git/config': '[alias]\n\tst = status\n\tlg = log --oneline --graph\n' });
    expect(decide('git st')).toBe('allow');
    expect(decide('git lg -5')).toBe('allow');
    expect(decide('git lfs pull')).toBe('allow');
  });
});

describe('the fast path', () => {
  it.each([
    ['git status', false],
    ['git log --oneline -5 | cat', false],
    ['git push origin feature', false],
    ['git -C ../x status', false],
    ['git -C "a b" status', false],
    ['git --no-pager diff > status.txt', false],
    ['git commit -m "fix git stuff"', false],
    ['git commit -m fix git stuff', true], // a second `git` word: analysed, harmlessly
    ['git', false],
    ['git --version', false],
    ['ls -la', false],
    ['git p origin main', true],
    ['git STATUS', true],
    ['git -C status p', true],
    ['git -C "x status" p', true],
    ['git "status x.y"', true],
    ['git >status p', true],
    ['git 2>status p', true],
    ['git &>/dev/null p', true],
    ['sudo git p', true],
    ['cat <(git p)', true],
    ["g''it p", true],
    ['/usr/bin/git p', true],
    ['echo hi; git lfs pull', true],
    ['git\tp', true],
    ['git --no-pager p', true],
  ])('%s → %s', (command, expected) => {
    expect(mayRunGitAlias(command)).toBe(expected);
  });

  it('plain git commands stay on the light path; a possible alias leaves it', () => {
    const c = ctx();
    for (const command of ['git status', 'git log --oneline -5', 'git diff --stat', 'git show HEAD', 'git add -A && git commit -m wip']) {
      expect(quickDecision('Bash', { command }, c), command).toEqual({ action: 'allow', ruleIds: [], pushes: [] });
    }
    expect(quickDecision('Bash', { command: 'git p origin main' }, c)).toBeNull();
  });

  it('decides like the full analysis', () => {
    write({ 'proj/.git/config': '[alias]\n\tp = push\n\tst = status\n' });
    const c = ctx();
    for (const command of ['git p origin main', 'git st', 'git -C . p origin main', 'git status']) {
      const fast: Decision = decideBash(command, c);
      expect(fast.action, command).toBe(analyseBash(command, c).action);
    }
  });
});

describe("git's own commands", () => {
  it('every name listed is a command the installed git runs before any alias', () => {
    const known = new Set(execFileSync('git', ['--list-cmds=main,builtins'], { encoding: 'utf8' }).split('\n'));
    expect([...GIT_BUILTINS].filter((n) => !known.has(n))).toEqual([]);
  });

  it('parses git config syntax', () => {
    const text = '# c\n[alias]\n\tx = "!f() { echo \\"a;b\\"; }; f" ; comment\n\ty = log \\\n  --oneline\n[alias "sub.x"]\n\tz = push\n[Include]\n\tpath = a.inc\n';
    expect(parseGitConfig(text)).toEqual([
      { key: 'alias.x', value: '!f() { echo "a;b"; }; f' },
      { key: 'alias.y', value: 'log   --oneline' },
      { key: 'alias.sub.x.z', value: 'push' },
      { key: 'include.path', value: 'a.inc' },
    ]);
  });
});
