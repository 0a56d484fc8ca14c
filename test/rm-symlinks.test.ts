import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decideBash, decisionContext } from '../src/core/decide/index.js';

/**
 * `rm -r` through symlinks, judged and then really run. Each case builds a fresh
 * project with sources, a node_modules holding a link back to the sources, and a temp
 * dir holding a link to the project; the command is decided by the engine and then run
 * by bash with GNU rm. Whenever the real command destroyed sources, the engine must have
 * asked for a delete-tier code; where it is allowed, the sources must survive.
 */
let base: string;
afterEach(() => rmSync(base, { recursive: true, force: true }));

function world(): { proj: string; temp: string } {
  base = mkdtempSync(join(tmpdir(), 'theguard-rm-'));
  const proj = join(base, 'proj');
  const temp = join(base, 'temp');
  for (const d of ['src/sub', 'node_modules/pkg', 'dist', '.git', 'home']) mkdirSync(join(proj, d), { recursive: true });
  mkdirSync(join(temp, 'scratch'), { recursive: true });
  writeFileSync(join(proj, 'src/a.ts'), 'a\n');
  writeFileSync(join(proj, 'src/sub/b.ts'), 'b\n');
  writeFileSync(join(proj, '.git/HEAD'), 'ref: refs/heads/main\n');
  writeFileSync(join(proj, 'node_modules/pkg/index.js'), '\n');
  writeFileSync(join(proj, 'dist/out.js'), '\n');
  writeFileSync(join(temp, 'scratch/x'), '\n');
  symlinkSync('../src', join(proj, 'node_modules/s'));
  symlinkSync('src', join(proj, 'srclink'));
  symlinkSync(proj, join(temp, 'proj-link'));
  return { proj, temp };
}

function decide(command: string, proj: string, temp: string): string {
  const ctx = decisionContext({
    cwd: proj,
    projectRoot: proj,
    env: { HOME: join(base, 'home') },
    prePushHook: true,
    tempDirs: [temp],
    config: { stateDir: join(proj, '.theguard'), rules: [] },
  });
  const d = decideBash(command.replaceAll('$TEMP', temp), ctx);
  return d.action === 'verify' ? `verify:${d.tier}` : d.action;
}

function runIt(command: string, proj: string, temp: string): void {
  try {
    execFileSync('bash', ['-c', command.replaceAll('$TEMP', temp)], { cwd: proj, stdio: 'ignore' });
  } catch {
    // rm exits non-zero when it cannot remove the link itself (`rm -rf link/`): what it deleted before counts.
  }
}

const sourcesIntact = (proj: string) => existsSync(join(proj, 'src/a.ts')) && existsSync(join(proj, 'src/sub/b.ts'));

describe('rm -r judged by where it really deletes', () => {
  it.each([
    'rm -rf node_modules/s/',
    'rm -rf node_modules/s/*',
    'rm -rf node_modules/s/sub',
    'rm -rf node_modules/s/../src',
    'rm -rf node_modules/*/sub',
    'rm -rf node_modules/?/',
    'rm -rf srclink/',
    'rm -rf $TEMP/proj-link/',
    'rm -rf $TEMP/proj-link/src',
    'find node_modules/s/ -delete',
    'find -H node_modules/s -delete',
    'ln -s ../src node_modules/t && rm -rf node_modules/t/',
  ])('%s is gated, and it really deletes sources', (command) => {
    const { proj, temp } = world();
    expect(decide(command, proj, temp)).toBe('verify:delete');
    runIt(command, proj, temp);
    expect(sourcesIntact(proj)).toBe(false);
  });

  it.each([
    'rm -rf node_modules',
    'rm -rf node_modules/',
    'rm -rf node_modules/s',
    'rm -rf node_modules/*',
    'rm -rf srclink',
    'rm -rf dist/ node_modules/pkg/',
    'rm -rf $TEMP/scratch/',
    'rm -rf $TEMP/proj-link',
    'find node_modules/s -delete',
    'find dist/ -name "*.js" -delete',
  ])('%s is allowed, and the sources survive it', (command) => {
    const { proj, temp } = world();
    expect(decide(command, proj, temp)).toBe('allow');
    runIt(command, proj, temp);
    expect(sourcesIntact(proj)).toBe(true);
  });
});
