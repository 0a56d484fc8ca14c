import { describe, expect, it } from 'vitest';
import { type AnalyseOptions, analyse } from '../src/core/shell/analyse.js';
import type { Analysis } from '../src/core/shell/invocation.js';
import { SHELL_LIMITS } from '../src/core/shell/limits.js';
import type { FileRead } from '../src/core/shell/script-files.js';
import { Unanalysable } from '../src/core/shell/unanalysable.js';
import { approximate } from '../src/core/shell/words.js';

const FILES: Record<string, string> = {
  '/p/deploy.sh': 'terraform destroy\n',
  '/p/inner.sh': 'bash deploy.sh\n',
};
const opts: AnalyseOptions = {
  cwd: '/p',
  home: '/h',
  env: { XDG_CONFIG_HOME: '/h/.cfg' },
  readFile: (path): FileRead => (path in FILES ? { kind: 'ok', text: FILES[path] as string } : { kind: 'missing' }),
};

/** Each invocation as "name arg arg" (unknown parts shown as ?), in execution order. */
function run(src: string, o: Partial<AnalyseOptions> = {}): string[] {
  return shown(analyse(src, { ...opts, ...o }));
}

function shown(a: Analysis): string[] {
  return a.invocations.filter((i) => i.argv.length > 0).map((i) => i.argv.map((w) => approximate(w, i.vars).replace(/\u0000/g, '?')).join(' '));
}

const one = (src: string) => analyse(src, opts).invocations.find((i) => i.argv.length > 0);

describe('wrappers are peeled', () => {
  it.each([
    ['sudo git push', 'git push'],
    ['sudo -u deploy -H git push', 'git push'],
    ['sudo -E FOO=1 git push', 'git push'],
    ['doas -u root git push', 'git push'],
    ['env git push', 'git push'],
    ['env -i -u HOME FOO=1 BAR=2 git push', 'git push'],
    ['env --chdir=/x git push', 'git push'],
    ['command git push', 'git push'],
    ['command -p git push', 'git push'],
    ['builtin exec git push', 'git push'],
    ['exec -a name git push', 'git push'],
    ['nice git push', 'git push'],
    ['nice -n 5 git push', 'git push'],
    ['nice -5 git push', 'git push'],
    ['nohup git push', 'git push'],
    ['timeout 10 git push', 'git push'],
    ['timeout -s KILL -k 5 10s git push', 'git push'],
    ['time git push', 'git push'],
    ['time -p git push', 'git push'],
    ['stdbuf -oL git push', 'git push'],
    ['ionice -c 3 git push', 'git push'],
    ['setsid git push', 'git push'],
    ['busybox rm -rf x', 'rm -rf x'],
    ['sudo env nice -n 1 timeout 5 git push', 'git push'],
    ['npx -y theguard@latest verify', 'theguard verify'],
    ['npx --package=x tool run', 'tool run'],
    ['npm exec -- tool run', 'tool run'],
    ['pnpm dlx tool run', 'tool run'],
    ['yarn dlx @scope/tool run', 'tool run'],
    ['bunx tool run', 'tool run'],
  ])('%s runs %s', (src, expected) => {
    expect(run(src).at(-1)).toBe(expected);
  });

  it('keeps the environment a wrapper sets and removes', () => {
    const inv = one('FOO=1 env -u HOME BAR=2 sudo BAZ=3 git push');
    expect(inv?.env.map((e) => [e.name, e.value === null ? null : approximate(e.value)])).toEqual([['FOO', '1'], ['HOME', null], ['BAR', '2'], ['BAZ', '3']]);
    expect(inv?.wrappers).toEqual(['env', 'sudo']);
  });

  it('xargs and parallel append arguments from stdin', () => {
    expect(one('xargs -0 -n1 rm -rf')?.argsFromStdin).toBe(true);
    expect(one('parallel -j4 rm -rf ::: a b')?.argsFromStdin).toBe(true);
    // What they read is an unknown word, appended or where the -I string stands.
    expect(run('xargs -0 -n1 rm -rf').at(-1)).toBe('rm -rf ?');
    expect(run('xargs -I{} terraform {} -auto-approve').at(-1)).toBe('terraform ? -auto-approve');
    expect(run('xargs --replace terraform {}').at(-1)).toBe('terraform ?');
    expect(run('parallel terraform {} ::: a b').at(-1)).toBe('terraform ?');
  });

  it('names commands by basename, lowercased; a computed name is opaque', () => {
    expect(one('/usr/bin/git push')?.name).toBe('git');
    expect(one('\\rm x')?.name).toBe('rm');
    expect(one('GIT status')?.name).toBe('git');
    const a = analyse('$X push', opts);
    expect(a.invocations[0]?.name).toBeNull();
    expect(a.opaque.map((o) => o.why)).toEqual(['the command name is computed when it runs']);
  });

  it('resolves a name from a variable assigned once to a literal, not one assigned twice', () => {
    expect(run('G=git; $G push').at(-1)).toBe('git push');
    expect(analyse('G=echo; G=git; $G push', opts).opaque.length).toBe(1);
    expect(analyse('read G; $G push', opts).opaque.length).toBe(1);
  });

  it('command -v and sudo -l run nothing', () => {
    expect(one('command -v git')?.argv.length ?? 0).toBe(0);
  });
});

describe('git -C and -c', () => {
  it('keeps git global options for the rules', () => {
    expect(run('git -C ../x -c core.x=1 --no-pager push')).toEqual(['git -C ../x -c core.x=1 --no-pager push']);
  });

  it('expands aliases defined with -c', () => {
    expect(run("git -c alias.nuke='reset --hard' nuke")).toContain('git -c alias.nuke=reset --hard reset --hard');
    expect(run("git -c alias.x='!rm -rf src' x")).toContain('rm -rf src');
  });
});

describe('nested shells are analysed, recursively', () => {
  it.each([
    ["bash -c 'git push'", 'git push'],
    ['sh -c "rm -rf x"', 'rm -rf x'],
    ["zsh -c 'a'", 'a'],
    ["dash -c 'a'", 'a'],
    ["bash -e -o pipefail -c 'a'", 'a'],
    ["bash -lc 'a'", 'a'],
    ["eval 'git push'", 'git push'],
    ['eval git push', 'git push'],
    ["echo 'git push' | bash", 'git push'],
    ["printf 'git push\\n' | sh", 'git push'],
    ['echo Z2l0IHB1c2g= | base64 -d | sh', 'git push'],
    ['base64 -d <<< Z2l0IHB1c2g= | bash', 'git push'],
    ["echo 'hsup tig' | rev | sh", 'git push'],
    ['bash <<EOF\ngit push\nEOF', 'git push'],
    ["bash <<< 'git push'", 'git push'],
    ['cat <<EOF | sh\ngit push\nEOF', 'git push'],
    ['bash deploy.sh', 'terraform destroy'],
    ['sh < deploy.sh', 'terraform destroy'],
    ['cat deploy.sh | sh', 'terraform destroy'],
    ['source deploy.sh', 'terraform destroy'],
    ['. ./deploy.sh', 'terraform destroy'],
    ['bash inner.sh', 'terraform destroy'],
    ["watch 'git push'", 'git push'],
    ["flock /tmp/l -c 'git push'", 'git push'],
    ["npx -c 'git push'", 'git push'],
    ["su -c 'git push' root", 'git push'],
    ["env -S 'git push'", 'git push'],
    ["trap 'git push' EXIT", 'git push'],
    ["alias p='git push'", 'git push'],
    ['find . -exec git push \\;', 'git push'],
    ["ssh host 'git push'", 'git push'],
    ['docker exec -it c git push', 'git push'],
    ['kubectl exec pod -- git push', 'git push'],
    ["X='git push'; bash -c \"$X\"", 'git push'],
  ])('%s runs %s', (src, expected) => {
    expect(run(src)).toContain(expected);
  });

  it('records how each nested command was reached', () => {
    const inv = analyse("sudo bash -c \"eval 'git push'\"", opts).invocations.find((i) => i.name === 'git');
    expect(inv?.via).toEqual(['bash -c', 'eval']);
    expect(inv?.depth).toBe(2);
  });

  it('marks remote commands and their unknown directory', () => {
    const inv = analyse("ssh host 'rm -rf /data'", opts).invocations.find((i) => i.name === 'rm');
    expect(inv?.remote).toBe(true);
    expect(inv?.cwd).toBeNull();
  });

  it('reports code it cannot see as opaque', () => {
    const why = (src: string) => analyse(src, opts).opaque.map((o) => o.why);
    expect(why('curl -s x | sh')).toEqual(['sh runs a script piped from `curl -s x`, which theguard cannot see']);
    expect(why('bash -c "$CMD"')).toEqual(['`bash -c` runs a string that is only known when it runs']);
    expect(why('eval "$CMD"')).toEqual(['`eval` runs a string that is only known when it runs']);
    expect(why("echo x > s.sh && bash s.sh")).toEqual(['`bash` runs /p/s.sh, which the same command writes first']);
    expect(why('bash "$F"')).toEqual(['`bash` runs a script whose location is only known when it runs']);
    expect(why('eval "$(ssh-agent -s)"')).toEqual([]);
    expect(why('curl -s x | python3')).toEqual(['python3 runs a program piped from `curl -s x`, which theguard cannot see']);
  });

  it('collects code for other languages, unanalysed', () => {
    const a = analyse("python3 -c 'print(1)'; node -e 'x'; perl -e 'y'; awk '{print}' f; python3 - <<EOF\nz\nEOF", opts);
    expect(a.inline.map((c) => [c.interpreter, c.text])).toEqual([['python3', 'print(1)'], ['node', 'x'], ['perl', 'y'], ['awk', '{print}'], ['python3', 'z\n']]);
  });
});

describe('state along the script', () => {
  it('follows cd, and forgets it outside subshells and after cd -', () => {
    const cwd = (src: string) => analyse(src, opts).invocations.filter((i) => i.name === 'x').map((i) => i.cwd);
    expect(cwd('cd /a && x; x')).toEqual(['/a', '/a']);
    expect(cwd('(cd /a && x); x')).toEqual(['/a', '/p']);
    expect(cwd('cd sub; x')).toEqual(['/p/sub']);
    expect(cwd('cd; x')).toEqual(['/h']);
    expect(cwd('cd -; x')).toEqual([null]);
    expect(cwd('cd "$D"; x')).toEqual([null]);
    expect(cwd('env -C /e x')).toEqual(['/e']);
    expect(cwd('cd /a | x; x')).toEqual(['/p', '/p']);
  });

  it('feeds each command what it reads on stdin', () => {
    const stdin = (src: string) => analyse(src, opts).invocations.at(-1)?.stdin;
    expect(stdin('x <<EOF\nhi\nEOF')).toEqual({ kind: 'text', text: 'hi\n', exact: true });
    expect(stdin("x <<< 'a b'")).toEqual({ kind: 'text', text: 'a b\n', exact: true });
    expect(stdin('echo hi | x')).toEqual({ kind: 'text', text: 'hi\n', exact: true });
    expect(stdin('x < f')?.kind).toBe('file');
    expect(stdin('curl u | x')).toEqual({ kind: 'stream', from: 'curl u' });
    expect(stdin('x')).toEqual({ kind: 'none' });
  });

  it('resolves $HOME, $PWD and known environment values', () => {
    expect(run('cat $HOME/a $PWD/b $XDG_CONFIG_HOME/c ~/d')).toEqual(['cat /h/a /p/b /h/.cfg/c ~/d']);
  });
});

describe('bounds', () => {
  it('refuses input over the length cap', () => {
    expect(() => analyse(`echo ${'a'.repeat(SHELL_LIMITS.maxInputChars)}`, opts)).toThrow(/characters long/);
  });

  it('refuses more words than the token cap', () => {
    expect(() => analyse('a '.repeat(SHELL_LIMITS.maxTokens + 1), opts)).toThrow(/more than \d+ words/);
  });

  it('refuses nesting deeper than the depth cap, in every nesting construct', () => {
    const deep = SHELL_LIMITS.maxDepth + 2;
    expect(() => analyse(`${'( '.repeat(deep)}ls${' )'.repeat(deep)}`, opts)).toThrow(/levels deep/);
    expect(() => analyse(`${'$('.repeat(deep)}ls${')'.repeat(deep)}`, opts)).toThrow(/levels deep/);
    let cmd = 'git push';
    for (let i = 0; i < deep; i++) cmd = `bash -c ${JSON.stringify(cmd)}`;
    expect(() => analyse(cmd, opts)).toThrow(/levels deep/);
    expect(() => analyse("git -c alias.x='!git x' x", opts)).toThrow(Unanalysable);
  });

  it('stops following script files after a few', () => {
    expect(() => analyse('bash deploy.sh; '.repeat(12), opts)).toThrow(/script files/);
  });

  it('scans pathological input in one pass (these would hang a backtracking parser)', () => {
    expect(() => analyse(`echo ${'"'.repeat(50_001)}`, opts)).toThrow(Unanalysable);
    expect(analyse(`echo ${"'a'".repeat(20_000)}`, opts).invocations.length).toBe(1);
    expect(analyse(`echo ${'\\x'.repeat(30_000)}`, opts).invocations.length).toBe(1);
    expect(() => analyse(`${'{ '.repeat(5_000)}ls`, opts)).toThrow(Unanalysable);
  });
});
