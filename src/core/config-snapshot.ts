import { closeSync, constants, fstatSync, openSync, readSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { GuardConfig } from './config.js';
import { userConfigDir, userStateDir } from './lib/paths.js';
import { findMainWorkTree } from './lib/project.js';
import { ensurePrivateDir, readPrivateFile, writeFileAtomic } from './lib/safe-fs.js';

/**
 * The PreToolUse hook runs on every agent tool call and must cost little more than
 * starting Node. Validating the configuration with zod costs more than that budget on
 * its own, so the hook validates it once and keeps a snapshot of the result: while the
 * configuration file's bytes, the environment that resolves its paths and theguard's
 * version are unchanged, the snapshot is reused; any change, and the full loader runs
 * again. The snapshot is a cache of a file that is itself unsealed, so it is not sealed
 * either (that alone would cost the hook 5% of its budget): it is protected like the
 * configuration, by self-protection and by being private to the user. See
 * docs/decisions/0010-config-snapshot.md.
 */

/** Where configuration is searched, per directory, in order (the same list cosmiconfig is given). */
export const CONFIG_SEARCH_PLACES = [
  '.theguard.json',
  'package.json',
  '.theguardrc',
  '.theguardrc.json',
  '.theguardrc.yaml',
  '.theguardrc.yml',
  '.config/theguardrc',
  '.config/theguardrc.json',
  '.config/theguardrc.yaml',
  '.config/theguardrc.yml',
  // Searched only to refuse them: configuration must not be code.
  '.theguardrc.js',
  '.theguardrc.cjs',
  '.theguardrc.mjs',
  '.theguardrc.ts',
  'theguard.config.js',
  'theguard.config.cjs',
  'theguard.config.mjs',
  'theguard.config.ts',
] as const;

/** cosmiconfig's user-level file names (searched in $XDG_CONFIG_HOME/theguard when the project has none). */
export const USER_CONFIG_PLACES = ['config', 'config.json', 'config.yaml', 'config.yml', 'config.js', 'config.ts', 'config.cjs', 'config.mjs'] as const;

const MAX_CONFIG_BYTES = 1024 * 1024;

export interface ConfigSource {
  /** The file the configuration comes from, or null for the embedded defaults. */
  readonly path: string | null;
  readonly content: string | null;
}

/**
 * The configuration file for `cwd`, found with a readdir per directory and no parsing
 * beyond package.json. Search order: each directory from `cwd` up to the project root;
 * in a linked worktree, then the main work tree's root (where `theguard init` put the
 * file, which a new worktree does not have); then the user's config dir. Both the
 * hook and the full loader (src/config/load.ts) use this, so they find the same file.
 */
export function discoverConfig(cwd: string, root: string, env: NodeJS.ProcessEnv = process.env): ConfigSource {
  const stop = resolve(root);
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const found = firstIn(dir, CONFIG_SEARCH_PLACES);
    if (found) return found;
    if (dir === stop || dirname(dir) === dir) break;
  }
  const main = findMainWorkTree(stop);
  return (main !== stop ? firstIn(main, CONFIG_SEARCH_PLACES) : null) ?? firstIn(userConfigDir(env), USER_CONFIG_PLACES) ?? { path: null, content: null };
}

function firstIn(dir: string, places: readonly string[]): ConfigSource | null {
  // One readdir per directory instead of an open() per place: this runs on every tool call.
  const here = namesIn(dir);
  if (here.size === 0) return null;
  let dotConfig: Set<string> | undefined;
  for (const place of places) {
    const slash = place.indexOf('/');
    if (slash < 0 ? !here.has(place) : !here.has(place.slice(0, slash)) || !(dotConfig ??= namesIn(join(dir, place.slice(0, slash)))).has(place.slice(slash + 1))) continue;
    const path = join(dir, place);
    const content = readSmallFile(path);
    if (content === null) continue;
    // cosmiconfig skips empty files, and package.json files without a "theguard" key.
    if (place === 'package.json' ? !hasTheguardKey(content) : content.trim() === '') continue;
    return { path, content };
  }
  return null;
}

function namesIn(dir: string): Set<string> {
  try {
    return new Set(readdirSync(dir));
  } catch {
    return new Set();
  }
}

function hasTheguardKey(packageJson: string): boolean {
  try {
    const pkg = JSON.parse(packageJson) as unknown;
    return typeof pkg === 'object' && pkg !== null && Object.prototype.hasOwnProperty.call(pkg, 'theguard');
  } catch {
    return true; // let the full loader report the broken file
  }
}

/** The text of a regular file, or null when there is none (a directory, a missing file). */
function readSmallFile(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return null;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return null;
    const size = Math.min(st.size, MAX_CONFIG_BYTES + 1);
    const buf = Buffer.alloc(size);
    let len = 0;
    while (len < size) {
      const n = readSync(fd, buf, len, size - len, null);
      if (n === 0) break;
      len += n;
    }
    return buf.subarray(0, len).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

interface SnapshotFields {
  readonly v: 1;
  readonly kind: 'config-snapshot';
  readonly version: string;
  readonly root: string;
  readonly path: string | null;
  readonly content: string | null;
  readonly env: Readonly<Record<(typeof ENV_KEYS)[number], string | null>>;
  readonly config: GuardConfig;
}

/** The environment variables that change how a configuration resolves (paths of the pepper, outbox, home). */
const ENV_KEYS = ['HOME', 'XDG_CONFIG_HOME', 'XDG_STATE_HOME'] as const;

function envOf(env: NodeJS.ProcessEnv): SnapshotFields['env'] {
  return Object.fromEntries(ENV_KEYS.map((k) => [k, env[k] ?? null])) as SnapshotFields['env'];
}

/** One file per project root. The name only has to spread roots apart: each snapshot records its root and is checked. */
export function snapshotPath(root: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(userStateDir(env), 'snapshots', `${fnv1a(resolve(root))}.json`);
}

/** FNV-1a, 64 bits, in hex: a file name from a path without loading node:crypto on the hot path. */
function fnv1a(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

/** The validated configuration for this root and source, if a snapshot of exactly this source exists. */
export function readSnapshot(root: string, source: ConfigSource, version: string, env: NodeJS.ProcessEnv = process.env): GuardConfig | null {
  let buf: Buffer | null;
  try {
    buf = readPrivateFile(snapshotPath(root, env), 4 * MAX_CONFIG_BYTES);
  } catch {
    return null;
  }
  if (buf === null) return null;
  let snap: SnapshotFields;
  try {
    snap = JSON.parse(buf.toString('utf8')) as SnapshotFields;
  } catch {
    return null;
  }
  if (typeof snap !== 'object' || snap === null || snap.kind !== 'config-snapshot' || snap.v !== 1 || typeof snap.config !== 'object' || snap.config === null) return null;
  const want = envOf(env);
  const same =
    snap.version === version &&
    snap.root === resolve(root) &&
    snap.path === source.path &&
    snap.content === source.content &&
    ENV_KEYS.every((k) => snap.env[k] === want[k]);
  return same ? snap.config : null;
}

export function writeSnapshot(root: string, source: ConfigSource, version: string, config: GuardConfig, env: NodeJS.ProcessEnv = process.env): void {
  const path = snapshotPath(root, env);
  ensurePrivateDir(dirname(dirname(path)));
  ensurePrivateDir(dirname(path));
  const plain = JSON.parse(JSON.stringify(config)) as GuardConfig;
  const fields: SnapshotFields = { v: 1, kind: 'config-snapshot', version, root: resolve(root), path: source.path, content: source.content, env: envOf(env), config: plain };
  writeFileAtomic(path, JSON.stringify(fields));
}
