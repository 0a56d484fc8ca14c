import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitWorld } from './helpers/git-world.js';
import { callHook } from './helpers/hook.js';

/**
 * Routes a red-team audit found around the Claude Code hook with git, replayed against
 * the built hook in a real repository after `theguard init`, and run for real to show
 * what they do. Command-level cases are in test/corpus/bypasses-redteam-git.json.
 */
let w: GitWorld;
afterEach(() => w?.cleanup());

const denied = async (command: string) => (await callHook(w, 'Bash', { command })).denied;

/** A repository on feature/x with a submodule `sub` (its own bare remote), the submodule one commit ahead on its main. */
function withSubmodule(): { subRemote: string; subTip: string } {
  const subRemote = join(w.base, 'sub.git');
  const seed = join(w.base, 'sub-seed');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', subRemote], { env: w.env });
  execFileSync('git', ['init', '-q', '-b', 'main', seed], { env: w.env });
  w.commit('lib.txt', 'v1\n', 'sub v1', seed);
  w.gitIn(seed, 'push', '-q', subRemote, 'main');
  w.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', subRemote, 'sub');
  w.git('commit', '-q', '-m', 'add sub');
  w.git('checkout', '-q', '-b', 'feature/x');
  const subTip = w.commit('lib.txt', 'v2\n', 'sub v2', join(w.repo, 'sub'));
  w.git('add', 'sub');
  w.git('commit', '-q', '-m', 'bump sub');
  return { subRemote, subTip };
}

const subMain = (subRemote: string) => execFileSync('git', ['--git-dir', subRemote, 'rev-parse', 'main'], { encoding: 'utf8' }).trim();

describe('a push that recurses into submodules', () => {
  it('is gated by the hook itself: the submodule push to its main passes no theguard pre-push hook', async () => {
    w = new GitWorld();
    await w.init();
    const { subRemote, subTip } = withSubmodule();
    expect(await denied('git push --recurse-submodules=on-demand origin feature/x')).toMatch(/submodules/);
    expect(await denied('git push --recurse-submodules=on-demand origin HEAD:main')).toMatch(/submodules/);
    expect(await denied('git -c push.recurseSubmodules=on-demand push origin feature/x')).toMatch(/submodules/);
    expect(await denied('git push --recurse-sub only origin feature/x')).toMatch(/submodules/);
    // Without recursion the push is left to the pre-push hook, which sees feature/x only.
    expect(await denied('git push origin feature/x')).toBeNull();
    expect(await denied('git push --recurse-submodules=check origin feature/x')).toBeNull();
    // Left to the pre-push hook before, which sees feature/x only. git passes the refspec
    // on to the submodule, where feature/x can be a symbolic ref to main: its main moves,
    // through no theguard hook, and the whole push succeeds.
    w.gitIn(join(w.repo, 'sub'), 'symbolic-ref', 'refs/heads/feature/x', 'refs/heads/main');
    const before = subMain(subRemote);
    const pushed = await w.push(['--recurse-submodules=on-demand', 'origin', 'feature/x'], { env: { GIT_ALLOW_PROTOCOL: 'file' } });
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(before).not.toBe(subTip);
    expect(subMain(subRemote)).toBe(subTip);
  });

  it('is gated when the repository config turns recursion on', async () => {
    w = new GitWorld();
    await w.init();
    withSubmodule();
    expect(await denied('git push origin feature/x')).toBeNull();
    w.git('config', 'push.recurseSubmodules', 'on-demand');
    expect(await denied('git push origin feature/x')).toMatch(/submodules/);
    // The command line wins over the config.
    expect(await denied('git push --no-recurse-submodules origin feature/x')).toBeNull();
    w.git('config', '--unset', 'push.recurseSubmodules');
    w.git('config', 'submodule.recurse', 'true');
    expect(await denied('git push origin feature/x')).toMatch(/submodules/);
  });

  it('is left to the pre-push hook in a repository without submodules', async () => {
    w = new GitWorld();
    await w.init();
    w.git('checkout', '-q', '-b', 'feature/x');
    expect(await denied('git push --recurse-submodules=on-demand origin feature/x')).toBeNull();
  });

  it('git submodule foreach git push is gated like a push from an unknown repository', async () => {
    w = new GitWorld();
    await w.init();
    withSubmodule();
    expect(await denied("git submodule foreach 'git push origin HEAD:main'")).toMatch(/main/);
    expect(await denied('git submodule foreach --recursive git push origin HEAD:main')).toMatch(/main/);
  });
});

describe('git subcommands that run shell commands', () => {
  it('git rebase -x, bisect run and difftool -x are followed', async () => {
    w = new GitWorld();
    await w.init();
    w.commit('src/app.js', 'v1\n', 'app');
    w.commit('src/app.js', 'v2\n', 'app 2');
    for (const command of ["git rebase -x 'rm -rf src' HEAD~1", 'git bisect start HEAD HEAD~1 && git bisect run rm -rf src', "git difftool -y -x 'rm -rf src' HEAD~1", 'taskset 1 rm -rf src', 'chrt -i 0 rm -rf src', "sed -n '1e rm -rf src' README.md"]) {
      expect(await denied(command), command).toMatch(/code was sent|verify/i);
    }
    // What the first one does when run: git runs the command (then stops, as the tree changed), and src is gone.
    spawnSync('git', ['rebase', '-x', 'rm -rf src', 'HEAD~1'], { cwd: w.repo, env: w.env });
    expect(existsSync(join(w.repo, 'src'))).toBe(false);
  });
});
