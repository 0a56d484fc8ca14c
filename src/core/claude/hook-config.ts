import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { GuardConfig } from '../config.js';
import { type ConfigSource, discoverConfig, readSnapshot } from '../config-snapshot.js';
import { findProjectRoot } from '../lib/project.js';

/**
 * The configuration for one hook call. The fast path (every call while the config is
 * unchanged) is: find the file with a readdir or two, and reuse the snapshot of its
 * validated form. Otherwise the full loader (zod, cosmiconfig; a separate bundle,
 * loaded only then) validates it and leaves a new snapshot. An invalid configuration
 * throws, and the hook denies every call with the error until it is fixed.
 */
export interface HookConfig {
  readonly config: GuardConfig;
  readonly root: string;
}

export type FullLoader = (cwd: string, root: string, source: ConfigSource, version: string) => Promise<GuardConfig>;

export async function hookConfig(cwd: string, env: NodeJS.ProcessEnv, version: string, fullLoader: () => FullLoader): Promise<HookConfig> {
  const anchor = sessionProject(env) ?? cwd;
  const root = findProjectRoot(anchor);
  const source = discoverConfig(anchor, root, env);
  const cached = readSnapshot(root, source, version, env);
  if (cached) return { config: cached, root };
  return { config: await fullLoader()(anchor, root, source, version), root };
}

/**
 * Where the session's configuration is looked for: the project Claude Code was started
 * in (`CLAUDE_PROJECT_DIR`, set by Claude Code for its hooks), not the directory the
 * call runs in. Otherwise an agent could make its own configuration win, with its own
 * outbox and rules, by writing a package.json with a "theguard" key into a subdirectory
 * (or a directory elsewhere) and working from there. Without the variable (another
 * caller), the call's directory is used.
 */
function sessionProject(env: NodeJS.ProcessEnv): string | null {
  const dir = env.CLAUDE_PROJECT_DIR;
  if (!dir || !isAbsolute(dir)) return null;
  try {
    return statSync(dir).isDirectory() ? dir : null;
  } catch {
    return null;
  }
}
