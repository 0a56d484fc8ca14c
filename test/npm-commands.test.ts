import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../src/core/rules/catalogue.js';
import { npmCommand, npmSpellings } from '../src/core/shell/npm-commands.js';

/**
 * theguard's copy of npm's command table against npm itself: the npm on this machine
 * (the one `npm ci` ran) is loaded, and every word its own deref() resolves must
 * resolve the same here. The copy is npm 11's; another major version may differ.
 */
function installedNpm(): { dir: string; version: string } | null {
  try {
    const dir = join(execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim(), 'npm');
    const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    return existsSync(join(dir, 'lib/utils/cmd-list.js')) ? { dir, version } : null;
  } catch {
    return null;
  }
}

describe('npm command words', () => {
  it('expands prefixes, aliases and camelCase the way npm 11 does', () => {
    expect(['unpubl', 'unp', 'publis', 'pub', 'pu', 'p', 'rm', 'run-s', 'install-cl', 'installTest', 'unPublish']
      .map((w) => npmCommand(w))).toEqual(['unpublish', 'unpublish', 'publish', 'publish', 'publish', null, 'uninstall', 'run', 'ci', 'install-test', null]);
    expect(npmSpellings('unpublish')).toEqual(['unp', 'unpu', 'unpub', 'unpubl', 'unpubli', 'unpublis', 'unpublish']);
  });

  it('the fast path knows every word npm runs as unpublish', () => {
    expect(CATALOGUE.find((r) => r.id === 'npm.unpublish')?.keywords).toEqual(npmSpellings('unpublish'));
  });

  const npm = installedNpm();
  it(`agrees with the installed npm (${npm?.version ?? 'none found'}) on every word it resolves`, () => {
    expect(npm).not.toBeNull();
    if (!npm || !npm.version.startsWith('11.')) return;
    const require = createRequire(join(npm.dir, 'package.json'));
    const { deref, commands, aliases } = require('./lib/utils/cmd-list.js') as { deref: (c: string) => string | undefined; commands: string[]; aliases: Record<string, string> };
    const abbrev = require('abbrev') as (list: string[]) => Record<string, string>;
    const words = [...Object.keys(abbrev([...commands, ...Object.keys(aliases)])), 'unPublish', 'installTest', 'Publish', 'zzz', 'p'];
    const differ = words.filter((w) => (deref(w) ?? null) !== npmCommand(w));
    expect(differ).toEqual([]);
    expect(words.length).toBeGreaterThan(300);
  });
});
