import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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

  it('lefthook: deferred while lefthook will run theguard\'s command; not with LEFTHOOK=0 or a local override of pre-push', async () => {
    w = new GitWorld();
    const bin = lefthookBinary();
    writeFileSync(join(w.repo, 'lefthook.yml'), 'pre-push:\n  commands:\n    tests:\n      run: echo tests\n');
    const env = { LEFTHOOK_BIN: bin };
    execFileSync(bin, ['install'], { cwd: w.repo, env: { ...w.env, ...env } });
    await w.init();
    expect((await callHook(w, 'Bash', push, { env })).denied).toBeNull();
    expect((await callHook(w, 'Bash', push, { env: { ...env, LEFTHOOK: '0' } })).denied).toMatch(/needs human approval/);
    writeFileSync(join(w.repo, 'lefthook-local.yml'), 'pre-push:\n  commands:\n    theguard:\n      skip: true\n');
    expect((await callHook(w, 'Bash', push, { env })).denied).toMatch(/needs human approval/);
  });
});
