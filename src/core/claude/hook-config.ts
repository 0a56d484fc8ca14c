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
  const root = findProjectRoot(cwd);
  const source = discoverConfig(cwd, root, env);
  const cached = readSnapshot(root, source, version, env);
  if (cached) return { config: cached, root };
  return { config: await fullLoader()(cwd, root, source, version), root };
}
