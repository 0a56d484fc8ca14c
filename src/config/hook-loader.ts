import type { GuardConfig } from '../core/config.js';
import { type ConfigSource, discoverConfig, writeSnapshot } from '../core/config-snapshot.js';
import { loadConfig } from './load.js';

/**
 * The Claude Code hook's slow path, built as its own bundle (dist/hooks/config-loader.cjs)
 * so zod and cosmiconfig are loaded only when the configuration changed: validate the
 * configuration the way every other command does, then leave a snapshot for the
 * calls that follow. The snapshot is written only if the file is still the one that was
 * validated, so a file edited mid-load is never paired with another version's result.
 */
export async function loadForHook(cwd: string, root: string, source: ConfigSource, version: string): Promise<GuardConfig> {
  const loaded = await loadConfig({ cwd });
  const again = discoverConfig(cwd, root);
  const same = again.path === source.path && again.content === source.content && loaded.file === source.path && loaded.root === root;
  if (same) writeSnapshot(root, source, version, loaded.config);
  return loaded.config;
}
