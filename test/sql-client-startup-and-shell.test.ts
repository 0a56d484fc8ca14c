import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Decision, decideBash } from '../src/core/decide/index.js';
import { DecideWorld } from './helpers/decide.js';

/**
 * psql runs its startup files (`$PSQLRC`, else `~/.psqlrc`, and `$PGSYSCONFDIR/psqlrc`,
 * each also versioned) as input before `-c`/`-f`: the SQL rules read them like `-f`.
 * Command-level cases are in test/corpus/bypasses-redteam-data.json.
 */
const world = new DecideWorld({
  'proj/drop.sql': 'DROP TABLE users;\n',
  'proj/conf/psqlrc': 'TRUNCATE logs;\n',
  'proj/rc/base': '\\set QUIET on\n',
  'proj/rc/base-16': 'DROP TABLE users;\n',
});
afterAll(() => world.cleanup());

const decide = (command: string, home = world.home): Decision => decideBash(command, world.ctx({ env: { HOME: home } }));
const verdict = (d: Decision) => (d.action === 'verify' ? `verify:${d.tier} ${d.ruleIds.join(',')}` : d.action);

describe('psql startup files', () => {
  it('~/.psqlrc is read unless -X', () => {
    const home = join(world.base, 'home-rc');
    world.write({ 'home-rc/.psqlrc': "SELECT 'setup';\nDROP TABLE users;\n" });
    expect(verdict(decide("psql -c 'select 1'", home))).toBe('verify:delete sql.drop');
    expect(verdict(decide("psql -X -c 'select 1'", home))).toBe('allow');
    expect(verdict(decide("psql -c 'select 1'"))).toBe('allow');
  });

  it('a versioned file next to PSQLRC is read too, and PGSYSCONFDIR/psqlrc', () => {
    expect(verdict(decide("PSQLRC=rc/base psql -c 'select 1'"))).toBe('verify:delete sql.drop');
    expect(verdict(decide("PGSYSCONFDIR=conf psql -c 'select 1'"))).toBe('verify:delete sql.truncate');
    expect(verdict(decide("PGSYSCONFDIR=conf psql -X -c 'select 1'"))).toBe('allow');
  });

  it('a PSQLRC set twice earlier in the line is refused, not read as unset', () => {
    const d = decide("export PSQLRC=none.sql; export PSQLRC=drop.sql; psql -c 'select 1'");
    expect(d.action).not.toBe('allow');
    expect(d.ruleIds).toContain('shell.opaque');
  });

});

describe('meta-commands that run shell commands, with the real sqlite3', () => {
  it.skipIf(!existsSync('/usr/bin/sqlite3')).each([
    ['.shell touch ran', ["sqlite3 :memory: '.shell touch ran'"]],
    ['.output |cmd', ["sqlite3 :memory: '.output |cat >ran' 'select 1;'"]],
    ['.once |cmd', ["sqlite3 :memory: '.once |cat >ran' 'select 1;'"]],
  ])('%s really runs the command, and is gated', (_name, [command]) => {
    const dir = mkdtempSync(join(tmpdir(), 'theguard-sqlite-'));
    try {
      // The exit status is not the point (a reader that quits early can end sqlite3 by SIGPIPE).
      spawnSync('bash', ['-c', command as string], { cwd: dir, stdio: 'ignore' });
      expect(existsSync(join(dir, 'ran'))).toBe(true);
      expect(verdict(decideBash(command as string, world.ctx({ cwd: dir })))).toBe('verify:delete sql.unknown-input');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
