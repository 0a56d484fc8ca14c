import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideBash, decisionContext } from '../src/core/decide/index.js';
import { GitWorld } from './helpers/git-world.js';
import { run } from './helpers/sandbox.js';

/**
 * Refspec forms, checked against real git: each command is decided by the Claude Code
 * hook's engine (no pre-push hook installed, so the engine gates pushes itself) and then
 * run by git against a bare remote on disk. Whenever git really created, moved or
 * deleted the remote's main, the engine must have asked for a code, at the delete tier
 * when main was rewound or deleted.
 */
let w: GitWorld;
let c1: string;

beforeAll(() => {
  w = new GitWorld();
  c1 = w.git('rev-parse', 'HEAD');
  w.git('push', '-q', 'origin', 'main');
  w.gitIn(w.remote, 'config', 'receive.denyDeleteCurrent', 'warn');
  w.git('branch', 'feat2');
  w.git('tag', 'v1');
});
afterAll(() => w.cleanup());

const decide = (command: string) => {
  const ctx = decisionContext({ cwd: w.repo, projectRoot: w.repo, env: { HOME: w.env.HOME }, prePushHook: false, config: { stateDir: join(w.repo, '.theguard'), rules: [] } });
  const d = decideBash(command, ctx);
  return d.action === 'verify' ? `verify:${d.tier}` : d.action;
};

/** Run a command line in the repo the way the Bash tool would, and report what happened to the remote's main. */
async function mainChanged(command: string): Promise<{ changed: boolean; rewound: boolean }> {
  const before = w.remoteRef('refs/heads/main');
  const res = await run('bash', ['-c', command], { cwd: w.repo, env: w.env });
  const after = w.remoteRef('refs/heads/main');
  if (before === after) return { changed: false, rewound: false };
  expect(res.code, res.stderr).toBe(0);
  return { changed: true, rewound: before !== null && (after === null || !isAncestor(before, after)) };
}

function isAncestor(a: string, b: string): boolean {
  try {
    w.git('merge-base', '--is-ancestor', a, b);
    return true;
  } catch {
    return false;
  }
}

/**
 * The remote's main on a fresh commit; then either the local main one commit ahead of
 * it and checked out ('main-ahead'), or feat2, behind it, checked out ('feat2').
 */
function setUp(state: 'main-ahead' | 'feat2'): void {
  w.git('checkout', '-q', 'main');
  w.commit('f.txt', `${Math.random()}\n`, 'more');
  w.git('push', '-q', '-f', 'origin', 'main');
  if (state === 'main-ahead') w.commit('f.txt', `${Math.random()}\n`, 'ahead');
  else w.git('checkout', '-q', 'feat2');
}

describe('destination refs are read the way git reads them', () => {
  it.each([
    ['main-ahead', 'git push -q origin @', 'verify:push'],
    ['main-ahead', 'git push -q origin HEAD', 'verify:push'],
    ['main-ahead', 'git push -q origin heads/main', 'verify:push'],
    ['main-ahead', 'git push -q origin refs/heads/main', 'verify:push'],
    ['main-ahead', 'git checkout -q feat2 && git push -q origin main:heads/main', 'verify:push'],
    ['feat2', 'git push -q -f origin feat2:heads/main', 'verify:delete'],
    ['feat2', 'git push -q -f origin HEAD~0:heads/main', 'verify:delete'],
    ['feat2', 'git push -q origin +feat2:refs/heads/main', 'verify:delete'],
    ['feat2', 'git push -q origin +@:main', 'verify:delete'],
    ['feat2', 'git push -q origin :heads/main', 'verify:delete'],
    ['feat2', 'git push -q origin --delete heads/main', 'verify:delete'],
  ] as const)('[%s] %s', async (state, command, expected) => {
    setUp(state);
    const decided = decide(command);
    const { changed, rewound } = await mainChanged(command);
    expect(changed).toBe(true);
    expect(rewound).toBe(expected === 'verify:delete');
    expect(decided).toBe(expected);
  });

  it('a local branch that is a symbolic ref to main pushes main', async () => {
    setUp('main-ahead');
    w.git('symbolic-ref', 'refs/heads/alias', 'refs/heads/main');
    w.git('checkout', '-q', 'feat2');
    const command = 'git push -q origin alias';
    expect(decide(command)).toBe('verify:push');
    expect((await mainChanged(command)).changed).toBe(true);
    w.git('update-ref', '-d', '--no-deref', 'refs/heads/alias');
  });

  it('a switch earlier in the same line decides what HEAD pushes', async () => {
    setUp('main-ahead');
    w.git('checkout', '-q', 'feat2');
    const command = 'git checkout -q main && git push -q origin HEAD';
    expect(decide(command)).toBe('verify:push');
    expect((await mainChanged(command)).changed).toBe(true);
  });

  it.each([
    'git push -q origin feat2:heads/feature/x',
    'git push -q origin feat2:main-backup',
    'git push -q origin tag v1',
    'git push -q origin @:refs/heads/topic',
    'git checkout -q -b topic2 && git push -q -u origin HEAD',
  ])('%s leaves main alone and is not gated', async (command) => {
    setUp('feat2');
    expect(decide(command)).toBe('allow');
    expect((await mainChanged(command)).changed).toBe(false);
  });

  it('the remote really holds what the allowed pushes made', () => {
    // A `heads/` destination the remote lacks is created as written, below refs/heads/.
    expect(w.remoteRef('refs/heads/heads/feature/x')).not.toBeNull();
    expect(w.remoteRef('refs/tags/v1')).toBe(c1);
    expect(w.remoteRef('refs/heads/topic')).not.toBeNull();
  });
});
