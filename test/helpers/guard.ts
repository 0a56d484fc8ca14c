import { currentActor } from '../../src/core/audit.js';
import { CoreGuard } from '../../src/core/guard.js';
import type { Delivery } from '../../src/core/delivery/port.js';
import { validateConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import type { Sandbox } from './sandbox.js';

/** An engine on a sandbox, in this process (other processes use the built CLI or library). */
export function guardIn(sb: Sandbox, config: ConfigInput = {}, opts: { delivery?: Delivery; via?: string } = {}): CoreGuard {
  return new CoreGuard({
    config: validateConfig(config, { root: sb.repo, env: sb.env, file: null }),
    root: sb.repo,
    actor: currentActor(opts.via ?? 'test'),
    delivery: opts.delivery,
    pepperPath: sb.pepperPath,
  });
}

export const pushOp = (ref = 'main', extra: Record<string, string> = {}) => ({
  tier: 'push' as const,
  action: 'test.push',
  summary: `push to ${ref}`,
  params: { ref, ...extra },
});

export const deleteOp = (what = 'prod') => ({
  tier: 'delete' as const,
  action: 'test.drop',
  summary: `drop ${what}`,
  params: { database: what },
});
