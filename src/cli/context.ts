import { currentActor } from '../core/audit.js';
import { CoreGuard } from '../core/guard.js';
import { type LoadedConfig, loadConfig } from '../config/load.js';

export interface GlobalOptions {
  config?: string;
}

/** Load the configuration and open the engine for one CLI command. */
export async function openGuard(opts: GlobalOptions, via: string): Promise<{ guard: CoreGuard; loaded: LoadedConfig }> {
  const loaded = await loadConfig(opts.config ? { file: opts.config } : {});
  const guard = new CoreGuard({ config: loaded.config, root: loaded.root, actor: currentActor(`cli:${via}`) });
  return { guard, loaded };
}
