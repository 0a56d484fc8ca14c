import { mkdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ConfigSource, discoverConfig, readSnapshot, snapshotPath, writeSnapshot } from '../src/core/config-snapshot.js';
import { loadConfig } from '../src/config/load.js';
import { ROOT, Sandbox } from './helpers/sandbox.js';

let sb: Sandbox;
const saved: Record<string, string | undefined> = {};
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  sb?.cleanup();
});

/** cosmiconfig (through env-paths) reads the user-level config dir from the process.env object it captured at import: change it in place. */
function useSandboxEnv(): void {
  for (const k of ['HOME', 'XDG_CONFIG_HOME', 'XDG_STATE_HOME'] as const) {
    if (!(k in saved)) saved[k] = process.env[k];
    process.env[k] = sb.env[k];
  }
}

async function cosmiconfigPick(cwd: string): Promise<string | null> {
  try {
    return (await loadConfig({ cwd, env: sb.env })).file;
  } catch (err) {
    return (err as { file?: string | null }).file ?? 'error';
  }
}

const write = (rel: string, text: string) => {
  mkdirSync(join(sb.repo, rel, '..'), { recursive: true });
  writeFileSync(join(sb.repo, rel), text);
};

describe('discoverConfig finds the file cosmiconfig finds', () => {
  const layouts: [string, () => void, string][] = [
    ['no configuration', () => {}, ''],
    ['.theguard.json', () => write('.theguard.json', '{}'), ''],
    ['package.json with a theguard key', () => write('package.json', '{"name":"x","theguard":{}}'), ''],
    ['package.json without one, then a YAML rc', () => (write('package.json', '{"name":"x"}'), write('.theguardrc.yaml', 'push: {}\n')), ''],
    ['an empty .theguard.json is skipped', () => (write('.theguard.json', '  \n'), write('.theguardrc.json', '{}')), ''],
    ['.theguard.json wins over package.json', () => (write('package.json', '{"theguard":{}}'), write('.theguard.json', '{}')), ''],
    ['a config in the working subdirectory wins', () => (write('.theguard.json', '{}'), write('sub/dir/.theguard.json', '{}')), 'sub/dir'],
    ['a root config is found from a subdirectory', () => (write('.theguard.json', '{}'), mkdirSync(join(sb.repo, 'a/b'), { recursive: true })), 'a/b'],
    ['.config/theguardrc.json', () => write('.config/theguardrc.json', '{}'), ''],
    ['a code config is found (to be refused)', () => write('theguard.config.js', 'module.exports = {}'), ''],
    ['the user-level config when the project has none', () => (mkdirSync(join(sb.base, 'config/theguard'), { recursive: true }), writeFileSync(join(sb.base, 'config/theguard/config.json'), '{}')), ''],
  ];

  it.each(layouts)('%s', async (_name, setup, sub) => {
    sb = new Sandbox();
    useSandboxEnv();
    setup();
    const cwd = join(sb.repo, sub);
    const mine = discoverConfig(cwd, sb.repo, sb.env);
    expect(mine.path).toBe(await cosmiconfigPick(cwd));
    if (mine.path) expect(mine.content).toBe(readFileSync(mine.path, 'utf8'));
  });
});

describe('config snapshots', () => {
  const config = { stateDir: '/x/.theguard', grantTtlSeconds: 120 } as never;
  const source: ConfigSource = { path: '/x/.theguard.json', content: '{"grantTtlSeconds":120}' };

  it('round-trip only for the same source, environment, root and version', () => {
    sb = new Sandbox();
    writeSnapshot(sb.repo, source, '1.0.0', config, sb.env);
    expect(readSnapshot(sb.repo, source, '1.0.0', sb.env)).toEqual(config);
    expect(readSnapshot(sb.repo, { ...source, content: '{"grantTtlSeconds":3600}' }, '1.0.0', sb.env)).toBeNull();
    expect(readSnapshot(sb.repo, { path: null, content: null }, '1.0.0', sb.env)).toBeNull();
    expect(readSnapshot(sb.repo, source, '1.0.1', sb.env)).toBeNull();
    expect(readSnapshot(sb.repo, source, '1.0.0', { ...sb.env, XDG_CONFIG_HOME: '/elsewhere' })).toBeNull();
    expect(readSnapshot(join(sb.repo, 'sub'), source, '1.0.0', sb.env)).toBeNull();
  });

  it('is private to the user, and never read through a symlink', () => {
    sb = new Sandbox();
    writeSnapshot(sb.repo, source, '1.0.0', config, sb.env);
    const path = snapshotPath(sb.repo, sb.env);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700);
    renameSync(path, `${path}.real`);
    symlinkSync(`${path}.real`, path);
    expect(readSnapshot(sb.repo, source, '1.0.0', sb.env)).toBeNull();
  });

  it('a file that is not a snapshot is ignored, not trusted', () => {
    sb = new Sandbox();
    writeSnapshot(sb.repo, source, '1.0.0', config, sb.env);
    const path = snapshotPath(sb.repo, sb.env);
    writeFileSync(path, JSON.stringify({ root: sb.repo, path: source.path, content: source.content }));
    expect(readSnapshot(sb.repo, source, '1.0.0', sb.env)).toBeNull();
    writeFileSync(path, '{ torn');
    expect(readSnapshot(sb.repo, source, '1.0.0', sb.env)).toBeNull();
  });

});
