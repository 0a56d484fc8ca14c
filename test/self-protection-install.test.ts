import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CONFIG_SEARCH_PLACES } from '../src/core/config-snapshot.js';
import { decideTool } from '../src/core/decide/index.js';
import { BLOCK_END } from '../src/core/git/hook-markers.js';
import { DecideWorld } from './helpers/decide.js';
import { GitWorld } from './helpers/git-world.js';
import { callHook } from './helpers/hook.js';
import { lefthookBinary } from './helpers/lefthook.js';
import { ROOT } from './helpers/sandbox.js';

/**
 * theguard's own installation as the agent sees it: the pre-push launcher and install
 * record under the common git dir, and the checks the Claude Code hook makes before it
 * leaves a push to the pre-push hook. Every case runs the built hook and real `git push`
 * processes against a bare remote on disk.
 */
let w: GitWorld;
afterEach(() => w?.cleanup());

const SELF = /theguard blocks this .*\(rule self\./;
const launcher = () => join(w.repo, '.git', 'theguard', 'pre-push');

describe('the launcher and install record are off limits', () => {
  it.each([
    ['Bash', () => ({ command: 'echo "exit 0" > .git/theguard/pre-push' })],
    ['Bash', () => ({ command: 'printf "#!/bin/sh\\nexit 0\\n" | tee .git/theguard/pre-push' })],
    ['Bash', () => ({ command: 'cat .git/theguard/install.json' })],
    ['Bash', () => ({ command: 'mv .git/theguard /tmp/elsewhere' })],
    ['Bash', () => ({ command: 'rm -rf .git/theguard' })],
    ['Bash', () => ({ command: 'cp /tmp/forged.json "$(git rev-parse --git-common-dir)/theguard/install.json"' })],
    ['Write', () => ({ file_path: launcher(), content: '#!/bin/sh\nexit 0\n' })],
    ['Write', () => ({ file_path: join(w.repo, '.git', 'theguard', 'install.json'), content: '{}' })],
    ['Edit', () => ({ file_path: launcher(), old_string: 'exec', new_string: 'exit 0 #' })],
    ['Read', () => ({ file_path: join(w.repo, '.git', 'theguard', 'install.json') })],
  ] as const)('%s #%# is refused', async (tool, input) => {
    w = new GitWorld();
    await w.init();
    const before = readFileSync(launcher(), 'utf8');
    const res = await callHook(w, tool, input());
    expect(res.denied).toMatch(SELF);
    expect(res.denied).toMatch(/ask the human to do it in their own terminal/);
    expect(readFileSync(launcher(), 'utf8')).toBe(before);
    expect(w.mails()).toHaveLength(0);
  });

  it('also in a linked worktree, whose common git dir is the main checkout\'s', async () => {
    w = new GitWorld();
    await w.init();
    const wt = join(w.base, 'wt');
    w.git('worktree', 'add', '-q', '-b', 'side', wt);
    const common = join(w.repo, '.git', 'theguard', 'pre-push');
    expect((await callHook(w, 'Write', { file_path: common, content: 'exit 0\n' }, { cwd: wt })).denied).toMatch(SELF);
    expect((await callHook(w, 'Bash', { command: `echo "exit 0" > ${common}` }, { cwd: wt })).denied).toMatch(SELF);
  });
});

describe('the Claude Code hook leaves a push to the pre-push hook only when git will really run theguard', () => {
  const push = { command: 'git push origin main' };

  it('genuine install: the Claude Code hook stays silent, and the real push is stopped by the pre-push hook', async () => {
    w = new GitWorld();
    await w.init();
    expect((await callHook(w, 'Bash', push)).denied).toBeNull();
    const res = await w.push(['origin', 'main']);
    expect(res.code).not.toBe(0);
    expect(w.remoteRef('main')).toBeNull();
    expect(w.mails()).toHaveLength(1);
  });

  it('a launcher replaced with `exit 0` (had the agent got past self-protection): the Claude Code hook gates the push itself', async () => {
    w = new GitWorld();
    await w.init();
    writeFileSync(launcher(), '#!/bin/sh\nexit 0\n');
    const res = await callHook(w, 'Bash', push);
    expect(res.denied).toMatch(/needs human approval: it pushes to main, a protected branch/);
    expect(w.mails()).toHaveLength(1);
    // The reason it must: git itself would now push with no code at all.
    expect((await w.push(['origin', 'main'])).code).toBe(0);
  });

  it.each([
    ['names another node binary', (t: string) => t.replace(/^node='[^']*'$/m, "node='/bin/true'")],
    ['names another hook script', (t: string) => t.replace(/^hook='[^']*'$/m, "hook='/tmp/other-theguard/dist/hooks/pre-push.js'")],
    ['has an extra line', (t: string) => t.replace('unset NODE_OPTIONS', 'unset NODE_OPTIONS\nexit 0')],
  ])('a launcher that %s is not theguard\'s', async (_name, edit) => {
    w = new GitWorld();
    await w.init();
    writeFileSync(launcher(), edit(readFileSync(launcher(), 'utf8')));
    expect((await callHook(w, 'Bash', push)).denied).toMatch(/needs human approval/);
  });

  it('a launcher that is not executable, or a hook file git would not run, is not trusted either', async () => {
    w = new GitWorld();
    await w.init();
    chmodSync(launcher(), 0o644);
    expect((await callHook(w, 'Bash', push)).denied).toMatch(/needs human approval/);
    chmodSync(launcher(), 0o755);
    const hook = join(w.repo, '.git', 'hooks', 'pre-push');
    // Still marked as theguard's, but it no longer calls the launcher.
    writeFileSync(hook, '#!/bin/sh\n# theguard-managed pre-push hook\nexit 0\n');
    expect((await callHook(w, 'Bash', push)).denied).toMatch(/needs human approval/);
  });

  it('a launcher that is a symlink (to a genuine copy elsewhere) is not trusted: the copy is not guarded', async () => {
    w = new GitWorld();
    await w.init();
    const copy = join(w.base, 'launcher-copy');
    writeFileSync(copy, readFileSync(launcher()), { mode: 0o755 });
    rmSync(launcher());
    symlinkSync(copy, launcher());
    expect((await callHook(w, 'Bash', push)).denied).toMatch(/needs human approval/);
  });

  it('core.hooksPath moved elsewhere: git no longer runs the hook, so the Claude Code hook gates', async () => {
    w = new GitWorld();
    await w.init();
    mkdirSync(join(w.repo, 'other-hooks'));
    w.git('config', 'core.hooksPath', 'other-hooks');
    expect((await callHook(w, 'Bash', push)).denied).toMatch(/needs human approval/);
  });

  it('a forged install record in a repository without the pre-push hook does not make a push go through', async () => {
    w = new GitWorld();
    const marker = join(w.base, 'f');
    writeFileSync(marker, '# >>> theguard: push guard (managed by `theguard init`; `theguard uninstall` removes it)\n');
    mkdirSync(join(w.repo, '.git', 'theguard'));
    writeFileSync(join(w.repo, '.git', 'theguard', 'install.json'), JSON.stringify({ prePush: { layout: 'husky', hooksDir: join(w.repo, '.git', 'hooks'), entry: marker, launcher: '/bin/true' } }));
    const res = await callHook(w, 'Bash', push);
    expect(res.denied).toMatch(/needs human approval: it pushes to main/);
    expect(w.mails()).toHaveLength(1);
  });

  it('husky: deferred while husky will run theguard\'s block; not with HUSKY=0 or a husky init script', async () => {
    w = new GitWorld();
    mkdirSync(join(w.repo, '.husky'));
    writeFileSync(join(w.repo, '.husky', 'pre-push'), 'echo tests\n');
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'husky', 'bin.js')], { cwd: w.repo, env: w.env });
    await w.init();
    expect((await callHook(w, 'Bash', push)).denied).toBeNull();
    expect((await callHook(w, 'Bash', push, { env: { HUSKY: '0' } })).denied).toMatch(/needs human approval/);
    const init = join(w.base, 'config', 'husky', 'init.sh');
    mkdirSync(join(w.base, 'config', 'husky'), { recursive: true });
    writeFileSync(init, 'exit 0\n');
    expect((await callHook(w, 'Bash', push)).denied).toMatch(/needs human approval/);
    // And that is right: git runs husky's runner, which sources the script and skips the guard.
    expect((await w.push(['origin', 'main'])).code).toBe(0);
  });

  it('husky: a line that also changes the checkout does not leave its push to the hook (the checkout can take .husky/pre-push away first)', async () => {
    w = new GitWorld();
    const before = w.git('rev-parse', 'HEAD');
    w.commit('.husky/pre-push', 'echo tests\n', 'husky hook');
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'husky', 'bin.js')], { cwd: w.repo, env: w.env });
    await w.init();
    w.git('add', '.husky/pre-push');
    w.git('commit', '-q', '-m', 'theguard in the husky hook');
    expect((await callHook(w, 'Bash', push)).denied).toBeNull();
    const line = `git checkout -q ${before} && git push -f origin HEAD:main`;
    expect((await callHook(w, 'Bash', { command: line })).denied).toMatch(/needs human approval: it .*main/);
    expect((await callHook(w, 'Bash', { command: 'git stash -q; git push origin main' })).denied).toMatch(/needs human approval/);
    // Why: after that checkout, git's husky hook finds no .husky/pre-push and runs nothing.
    w.git('checkout', '-q', before);
    expect(existsSync(join(w.repo, '.husky', 'pre-push'))).toBe(false);
    const pushed = await w.push(["-f", "origin", "HEAD:refs/heads/main"]);
    expect(pushed.code).toBe(0);
    expect(w.remoteRef("refs/heads/main")).toBe(before);
    expect(w.mails()).toHaveLength(2);
  });

  it('a hook in .git/hooks does not depend on the checkout: a checkout in the same line still leaves the push to it', async () => {
    w = new GitWorld();
    await w.init();
    expect((await callHook(w, 'Bash', { command: 'git checkout -q -b topic && git checkout -q main && git push origin main' })).denied).toBeNull();
    expect(w.mails()).toHaveLength(0);
  });

  it('lefthook: deferred while lefthook will run theguard\'s command; not with LEFTHOOK=0 or a local override of pre-push', async () => {
    w = new GitWorld();
    const bin = lefthookBinary();
    writeFileSync(join(w.repo, 'lefthook.yml'), 'pre-push:\n  commands:\n    tests:\n      run: echo tests\n');
    // lefthook found on PATH, as an npm or system install would be.
    const env = { PATH: `${dirname(bin)}:${process.env.PATH}` };
    execFileSync(bin, ['install'], { cwd: w.repo, env: { ...w.env, ...env } });
    await w.init();
    expect((await callHook(w, 'Bash', push, { env })).denied).toBeNull();
    expect((await callHook(w, 'Bash', push, { env: { ...env, LEFTHOOK: '0' } })).denied).toMatch(/needs human approval/);
    // Another lefthook program or configuration may not run theguard's job.
    expect((await callHook(w, 'Bash', push, { env: { ...env, LEFTHOOK_BIN: '/bin/true' } })).denied).toMatch(/needs human approval/);
    expect((await callHook(w, 'Bash', push, { env: { ...env, LEFTHOOK_CONFIG: '/dev/null' } })).denied).toMatch(/needs human approval/);
    // A key added to theguard's job below its end marker (still part of the job in YAML).
    const config = readFileSync(join(w.repo, 'lefthook.yml'), 'utf8');
    const end = config.lastIndexOf(`${BLOCK_END}\n`) + BLOCK_END.length + 1;
    const skipped = `${config.slice(0, end)}      skip: true\n${config.slice(end)}`;
    expect(skipped).not.toBe(config);
    writeFileSync(join(w.repo, 'lefthook.yml'), skipped);
    expect((await callHook(w, 'Bash', push, { env })).denied).toMatch(/needs human approval/);
    writeFileSync(join(w.repo, 'lefthook.yml'), config);
    expect((await callHook(w, 'Bash', push, { env })).denied).toBeNull();
    writeFileSync(join(w.repo, 'lefthook-local.yml'), 'pre-push:\n  commands:\n    theguard:\n      skip: true\n');
    expect((await callHook(w, 'Bash', push, { env })).denied).toMatch(/needs human approval/);
  });
});

describe('moving or deleting a directory that holds theguard\'s files, and git commands that take them away', () => {
  const deny = async (command: string) => (await callHook(w, 'Bash', { command })).denied;
  /** A refused call is audited, which creates the state dir (git ignores it). */
  const stateDirInUse = async () => {
    expect(await deny('cat ~/.config/theguard/pepper')).toMatch(SELF);
    expect(existsSync(join(w.repo, '.theguard', 'audit.jsonl'))).toBe(true);
  };
  const allowed = async (command: string) => {
    const d = await deny(command);
    expect(d, command).toBeNull();
  };

  it.each([
    ['mv .claude .claude-old', /would move or delete .*\/\.claude, which holds Claude Code's hook settings .*\(rule self\.claude-hooks\)/],
    ['rm -rf .claude', /would move or delete .*\/\.claude, which holds Claude Code's hook settings/],
    ['mv .git .git-old', /which holds theguard's pre-push launcher and install record .*\(rule self\.pre-push-hook\)/],
    ['cp -r /tmp/other-settings .claude', /would write over .*\/\.claude, which holds Claude Code's hook settings/],
    ['git stash -u', /`git stash` would take away theguard's configuration \(.*\/\.theguard\.json, which git does not track\) \(rule self\.config\)\. Name the paths to stash/],
    ['git stash --include-untracked', /`git stash` would take away/],
    ['git stash -a', /`git stash` would take away/],
    ['git stash push --all -m wip', /`git stash` would take away/],
    ['git clean -f', /`git clean` would delete theguard's configuration/],
    ['git clean -fd', /`git clean` would delete/],
    ['git clean -xf', /`git clean` would delete/],
    ['git clean -fX', /`git clean` would delete theguard's state directory \(.*\/\.theguard, which git ignores\) \(rule self\.state-dir\)/],
  ])('%s is refused while the files are untracked', async (command, reason) => {
    w = new GitWorld();
    await w.init();
    await stateDirInUse();
    const settings = readFileSync(join(w.repo, '.claude', 'settings.json'), 'utf8');
    const res = await deny(command);
    expect(res).toMatch(reason);
    expect(res).toMatch(/ask the human to do it in their own terminal/);
    expect(readFileSync(join(w.repo, '.claude', 'settings.json'), 'utf8')).toBe(settings);
    expect(w.mails()).toHaveLength(0);
  });

  it('commands that leave theguard\'s files alone still pass (or meet their usual tier)', async () => {
    w = new GitWorld();
    await w.init();
    mkdirSync(join(w.repo, 'src'));
    writeFileSync(join(w.repo, 'src', 'x.ts'), 'x\n');
    await allowed('git stash');
    await allowed('git stash -u -- src');
    await allowed('git stash list');
    await allowed('git checkout .');
    await allowed('git checkout -- .claude'); // untracked: git has nothing to check out there
    await allowed('mv src lib');
    await allowed('touch .theguardrc.toml'); // not a place the configuration is searched
    // Named paths keep theguard's files out; what remains is the delete tier's usual code.
    expect(await deny('git clean -fd -- lib')).toMatch(/needs human approval: it deletes untracked files \(git clean -f\)/);
  });

  it('once committed, the files are safe from -u but not from -a (the state dir is ignored)', async () => {
    w = new GitWorld();
    await w.init();
    w.git('add', '.theguard.json', '.claude', '.gitignore');
    w.git('commit', '-q', '-m', 'theguard');
    await stateDirInUse();
    await allowed('git stash -u');
    await allowed('git clean -fd -n');
    expect(await deny('git stash -a')).toMatch(/theguard's state directory .*which git ignores/);
  });

  it('a tracked settings file that init changed cannot be reverted by checkout, restore, stash or reset', async () => {
    w = new GitWorld();
    w.commit('.claude/settings.json', '{ "model": "opus" }\n', 'settings');
    await w.init();
    expect(readFileSync(join(w.repo, '.claude', 'settings.json'), 'utf8')).toMatch(/pre-tool-use/);
    for (const command of ['git checkout -- .claude', 'git checkout .', 'git restore .claude/settings.json', 'git restore .', 'git stash', 'git reset --hard', 'git switch -f main', 'git checkout HEAD -- .claude/settings.json']) {
      expect(await deny(command), command).toMatch(/Claude Code's hook settings .*\(rule self\.claude-hooks\)/);
    }
    await allowed('git restore --staged .');
    await allowed('git checkout -- README.md');
    await allowed('git checkout -b feature/x');
    expect(readFileSync(join(w.repo, '.claude', 'settings.json'), 'utf8')).toMatch(/pre-tool-use/);
  });
});

describe('every place the configuration is searched is guarded', () => {
  // The decision engine the hook runs, without a process per case: 18 places, 2 directories, 3 ways.
  const world = new DecideWorld({ 'proj/sub/.config/.keep': '', 'proj/.config/.keep': '' });
  afterAll(() => world.cleanup());

  it.each(CONFIG_SEARCH_PLACES.map((p) => [p]))('creating or writing %s is refused, at the root and below it', (place) => {
    const ctx = world.ctx();
    const content = place === 'package.json' ? '{ "theguard": {} }' : '{}';
    for (const dir of [world.proj, join(world.proj, 'sub')]) {
      const file = join(dir, place);
      expect(decideTool('Write', { file_path: file, content }, ctx).ruleIds, file).toEqual(['self.config']);
      const shell = place === 'package.json' ? `echo '${content}' > ${file}` : `touch ${file}`;
      expect(decideTool('Bash', { command: shell }, ctx).ruleIds, shell).toEqual(['self.config']);
    }
  });
});
