import { describe, expect, it } from 'vitest';
import { globToRegExp, matchesAny } from '../src/core/git/ref-glob.js';
import { redactUrl } from '../src/core/git/remote-url.js';
import { parseRefUpdates } from '../src/core/git/ref-updates.js';
import { addHuskyBlock } from '../src/cli/install/husky.js';
import { addLefthookEntry } from '../src/cli/install/lefthook.js';
import { launcherScript, parseLauncher } from '../src/cli/install/launcher.js';
import { removeBlock } from '../src/cli/install/marked-block.js';
import { validateConfig } from '../src/config/load.js';

/** The small pure pieces of the push guard and its installers, case by case. */
const SHA1 = { name: 'sha1', hexLength: 40, zeroId: '0'.repeat(40) } as const;

describe('protected branch globs', () => {
  it.each([
    ['main', 'main', true],
    ['main', 'main2', false],
    ['main', 'feature/main', false],
    ['release/*', 'release/1.0', true],
    ['release/*', 'release/1.0/hotfix', false],
    ['release/**', 'release/1.0/hotfix', true],
    ['release/**', 'release', false],
    ['**/prod', 'prod', true],
    ['**/prod', 'a/b/prod', true],
    ['v?', 'v1', true],
    ['v?', 'v10', false],
    ['a.b', 'axb', false],
    ['hot+fix', 'hot+fix', true],
  ])('%s against %s: %s', (glob, name, expected) => {
    expect(globToRegExp(glob).test(name)).toBe(expected);
  });

  it('matchesAny is an OR over the list, and an empty list protects nothing', () => {
    expect(matchesAny('master', ['main', 'master'])).toBe(true);
    expect(matchesAny('main', [])).toBe(false);
  });
});

describe('remote URLs lose their credentials before they are shown or stored', () => {
  it.each([
    ['https://user:ghp_secret@github.com/o/r.git', 'https://***@github.com/o/r.git'],
    ['https://ghp_tokenAsUser@github.com/o/r.git', 'https://***@github.com/o/r.git'],
    ['ssh://git:pw@host/r.git', 'ssh://git:***@host/r.git'],
    ['ssh://git@host/r.git', 'ssh://git@host/r.git'],
    ['git@github.com:o/r.git', 'git@github.com:o/r.git'],
    ['/srv/git/r.git', '/srv/git/r.git'],
  ])('%s -> %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });
});

describe("git's pre-push input", () => {
  const a = 'a'.repeat(40);
  const z = '0'.repeat(40);

  it('parses one update per line', () => {
    expect(parseRefUpdates(`refs/heads/main ${a} refs/heads/main ${z}\n(delete) ${z} refs/heads/old ${a}\n`, SHA1)).toEqual([
      { localRef: 'refs/heads/main', localId: a, remoteRef: 'refs/heads/main', remoteId: z },
      { localRef: '(delete)', localId: z, remoteRef: 'refs/heads/old', remoteId: a },
    ]);
    expect(parseRefUpdates('', SHA1)).toEqual([]);
  });

  it.each([
    [`refs/heads/main ${a} refs/heads/main`, /expected 4 fields/],
    [`refs/heads/main  ${a} refs/heads/main ${z}`, /expected 4 fields/],
    [`refs/heads/main ${a.toUpperCase()} refs/heads/main ${z}`, /is not a sha1 object id/],
    [`refs/heads/main ${'a'.repeat(64)} refs/heads/main ${z}`, /is not a sha1 object id/],
    [`refs/heads/main ${a} main ${z}`, /is not a full ref name/],
    [`(delete) ${z} refs/heads/main ${z}`, /both object ids are zero/],
    [`refs/heads/ma\u001bin ${a} refs/heads/main ${z}`, /control characters/],
  ])('refuses %j', (line, why) => {
    expect(() => parseRefUpdates(`${line}\n`, SHA1)).toThrow(why);
  });
});

describe('the lefthook.yml edit', () => {
  const B = '# >>> theguard: push guard (managed by `theguard init`; `theguard uninstall` removes it)';
  /** The job's keys under `indent` (its own lines one `unit` deeper). */
  const job = (indent: string, unit: string): string => [
    'run: |',
    `${unit}exec "$(git rev-parse --git-common-dir)/theguard/pre-push" --args-fd 3 3<<'THEGUARD_GIT_ARGS'`,
    `${unit}{1}`,
    `${unit}{2}`,
    `${unit}{files}`,
    `${unit}THEGUARD_GIT_ARGS`,
    'files: echo lefthook.yml',
    'use_stdin: true',
  ].map((l) => `${indent}${l}\n`).join('');
  const edit = (yml: string) => addLefthookEntry(yml, 'lefthook.yml');

  it('appends a whole piped pre-push entry when there is none, and removing it gives the file back exactly', () => {
    for (const original of ['pre-commit:\n  commands:\n    lint:\n      run: x\n', 'pre-commit:\n  commands: {}', '']) {
      const { text, notes } = edit(original);
      expect(text).toContain(`${B}\npre-push:\n  piped: true\n  commands:\n    zz-theguard:\n${job('      ', '  ')}# <<< theguard\n`);
      expect(notes).toEqual([expect.stringMatching(/set `piped: true`/)]);
      expect(edit(text).text).toBe(text);
      expect(removeBlock(text)).toBe(original.endsWith('\n') || original === '' ? original : `${original}\n`);
    }
  });

  it('adds a command under an existing commands map, at its indentation, and piped: true on the hook', () => {
    const yml = 'pre-push:\n    commands:\n        audit:\n            run: npm audit\n';
    const { text } = edit(yml);
    expect(text).toBe(`pre-push:\n    ${B}\n    piped: true\n    # <<< theguard\n    commands:\n        ${B}\n        zz-theguard:\n${job('            ', '    ')}        # <<< theguard\n        audit:\n            run: npm audit\n`);
    expect(edit(text).text).toBe(text);
    expect(removeBlock(text)).toBe(yml);
  });

  it('keeps piped: true, and leaves parallel (or piped: false) alone with a warning that nothing is chained', () => {
    const piped = edit('pre-push:\n  piped: true\n  commands:\n    a:\n      run: x\n');
    expect(piped.text.match(/piped: true/g)).toHaveLength(1);
    expect(piped.notes).toEqual([]);
    for (const setting of ['parallel: true', 'piped: false']) {
      const yml = `pre-push:\n  ${setting}\n  commands:\n    a:\n      run: x\n`;
      const { text, notes } = edit(yml);
      expect(text).not.toMatch(/piped: true/);
      expect(notes.join('\n')).toMatch(/theguard runs alongside your other pre-push jobs, not after them/);
      expect(removeBlock(text)).toBe(yml);
    }
  });

  it('warns about commands that lefthook would run after theguard, scripts, and hook-level filters', () => {
    const yml = 'pre-push:\n  skip:\n    - merge\n  commands:\n    typecheck:\n      run: tsc\n    zzz:\n      priority: 2\n      run: x\n    "~late":\n      run: y\n    10-first:\n      run: z\n  scripts:\n    "a.sh":\n      runner: sh\n';
    const notes = edit(yml).notes.join('\n');
    expect(notes).toMatch(/sort after zz-theguard and so run after theguard: ~late\. /);
    expect(notes).toMatch(/runs pre-push `scripts` after every command/);
    expect(notes).toMatch(/has `skip`, which can make lefthook skip every pre-push job/);
  });

  it("appends an item at the end of lefthook 2's jobs list", () => {
    for (const [list, indent] of [['    - name: test\n      run: npm test\n    - name: lint\n      run: npm run lint\n', '    '], ['  - name: test\n    run: npm test\n', '  ']] as const) {
      const yml = `pre-push:\n  jobs:\n${list}other:\n  x: 1\n`;
      const { text } = edit(yml);
      expect(text).toContain(`  jobs:\n${list}${indent}${B}\n${indent}- name: zz-theguard\n${job(`${indent}  `, '  ')}${indent}# <<< theguard\nother:`);
      expect(removeBlock(text)).toBe(yml);
    }
  });

  it('adds a commands map to a pre-push entry that has none', () => {
    const yml = 'pre-push:\n  follow: true\nother: 1\n';
    const { text } = edit(yml);
    expect(text).toContain(`pre-push:\n  ${B}\n  piped: true\n  # <<< theguard\n  follow: true\n  ${B}\n  commands:\n    zz-theguard:\n`);
    expect(text.endsWith('  # <<< theguard\nother: 1\n')).toBe(true);
    expect(removeBlock(text)).toBe(yml);
  });

  it('refuses what it cannot edit safely, and shows the entry to add by hand', () => {
    expect(() => edit('pre-push: { commands: {} }\n')).toThrow(/not a plain block mapping/);
    try {
      edit('"pre-push":\n  commands: {}\n');
      expect.unreachable();
    } catch (err) {
      expect((err as { fix: string }).fix).toContain('--args-fd 3');
      expect((err as { fix: string }).fix).toContain('piped: true');
    }
  });
});

describe('the husky block', () => {
  it('goes at the top (after a shebang), once, and comes out cleanly', () => {
    const script = '#!/usr/bin/env sh\nnpm test\nexit 0\n';
    const edited = addHuskyBlock(script);
    expect(edited.split('\n')[0]).toBe('#!/usr/bin/env sh');
    expect(edited.split('\n')[1]).toMatch(/^# >>> theguard/);
    expect(edited).toContain('exec "$(git rev-parse --git-common-dir)/theguard/pre-push" --chain-sh "$0" -- "$@"');
    expect(addHuskyBlock(edited)).toBe(edited);
    expect(removeBlock(edited)).toBe(script);
    expect(addHuskyBlock(null).startsWith('# >>> theguard')).toBe(true);
  });
});

describe('the launcher', () => {
  it('names node and the hook by absolute path, quoted for sh, and doctor reads them back', () => {
    const text = launcherScript("/opt/node's/bin/node", '/srv/the guard/dist/hooks/pre-push.js');
    expect(text).toContain(`node='/opt/node'\\''s/bin/node'`);
    expect(parseLauncher(text)).toEqual({ node: "/opt/node's/bin/node", hook: '/srv/the guard/dist/hooks/pre-push.js' });
    expect(parseLauncher('#!/bin/sh\nexec node x\n')).toBeNull();
  });
});

describe('push settings in the configuration', () => {
  const ctx = { root: '/work/app', env: { HOME: '/home/u' }, file: null };

  it('defaults: main, master and release/** are protected; force and delete elsewhere are free', () => {
    const c = validateConfig({}, ctx);
    expect(c.push.protectedBranches).toEqual(['main', 'master', 'release/**']);
    expect(c.push.guardForceAndDeleteOnAllBranches).toBe(false);
    expect(c.push.maxAttempts).toBe(5);
  });

  it('names the key and the fix for each mistake', () => {
    const bad = (raw: object) => {
      try {
        validateConfig(raw, ctx);
      } catch (err) {
        return (err as { problems: string[] }).problems.join('\n');
      }
      throw new Error('accepted');
    };
    expect(bad({ push: { protectedBranches: 'main' } })).toMatch(/push\.protectedBranches must be a array \(it is "main"\)/);
    expect(bad({ push: { protectedBranches: ['refs/heads/main'] } })).toMatch(/push\.protectedBranches\[0\]: must be a branch name without "refs\/heads\/", e\.g\. "main"/);
    expect(bad({ push: { protectedBranches: ['my branch'] } })).toMatch(/push\.protectedBranches\[0\] must be a branch name or glob/);
    expect(bad({ push: { protectedBranch: ['main'] } })).toMatch(/push\.protectedBranch is not a theguard setting\. Fix: did you mean "protectedBranches"\?/);
    expect(bad({ push: { guardForceAndDeleteOnAllBranches: 'yes' } })).toMatch(/push\.guardForceAndDeleteOnAllBranches must be a boolean/);
    expect(bad({ delete: { protectedBranches: [] } })).toMatch(/delete\.protectedBranches is not a theguard setting/);
  });
});
