import { TIERS } from '../../core/config.js';
import { createDelivery } from '../../core/delivery/index.js';
import { loadConfig } from '../../config/load.js';
import type { GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';

/** `theguard config check`: validate the configuration and show what it resolves to. */
export async function configCheckCommand(opts: GlobalOptions & { json?: boolean }): Promise<number> {
  const loaded = await loadConfig(opts.config ? { file: opts.config } : {});
  const c = loaded.config;
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ ok: true, file: loaded.file, root: loaded.root, config: c }, null, 2)}\n`);
    return EXIT.OK;
  }
  const delivery = createDelivery(c.email);
  const lines = [
    `Configuration OK: ${loaded.file ?? 'no file found, using the embedded defaults'}`,
    `Project root:  ${loaded.root}`,
    `State dir:     ${c.stateDir}`,
    `Delivery:      ${delivery.describe()}`,
    `Codes go to:   ${c.email.to}`,
    `Fallback:      ${c.emailFallback}`,
    `Grants last:   ${c.grantTtlSeconds}s, single use`,
    ...TIERS.map((t) => `${`${t} tier:`.padEnd(14)} codes live ${c[t].codeTtlSeconds}s, ${c[t].maxAttempts} attempts, lockout ${c[t].lockoutSeconds}s, cooldown ${c[t].cooldownSeconds}s`),
    `Push guard:    protects ${c.push.protectedBranches.length ? c.push.protectedBranches.join(', ') : 'no branch'}; force or delete of other branches ${c.push.guardForceAndDeleteOnAllBranches ? 'needs a delete-tier code' : 'is free'}`,
    `Rules:         ${c.rules.length}`,
  ];
  if (!delivery.secure) lines.push('Warning: the "file" provider is INSECURE (an agent running as you can read the outbox). Use it to evaluate theguard only.');
  if (c.emailFallback === 'terminal') lines.push('Warning: emailFallback "terminal" can show codes on the terminal. Use it only where email is impossible.');
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.OK;
}
