import { maskEmail } from '../../core/lib/mask.js';
import { type GlobalOptions, openGuard } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { clock, duration, pendingLine } from '../format.js';

/** `theguard status [--json]`: what is pending, granted and locked, and how codes travel. */
export async function statusCommand(opts: GlobalOptions & { json?: boolean }): Promise<number> {
  const { guard, loaded } = await openGuard(opts, 'status');
  const s = guard.status();
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ ...s, configFile: loaded.file, delivery: { ...s.delivery, to: maskEmail(s.delivery.to) } }, null, 2)}\n`);
    return EXIT.OK;
  }
  const now = Date.now();
  const out: string[] = [
    `State dir:  ${s.stateDir}`,
    `Config:     ${loaded.file ?? 'embedded defaults (no config file found)'}`,
    `Delivery:   ${s.delivery.description}, to ${maskEmail(s.delivery.to)}`,
  ];
  if (!s.delivery.secure) out.push('            WARNING: this delivery is INSECURE; an agent running as you can read the codes. Configure an email provider for real protection.');
  out.push(`Fallback:   ${s.fallback === 'terminal' ? 'terminal (INSECURE: codes may be shown on the terminal)' : 'none'}`);
  out.push(`Pending:    ${s.pending.length || 'none'}`);
  for (const c of s.pending) out.push(`  ${pendingLine(c, now)}`);
  out.push(`Grants:     ${s.grants.length || 'none'}`);
  for (const g of s.grants) out.push(`  ${g.clearanceId}  ${g.tier.padEnd(6)}  ${g.summary}  (usable once, for ${duration(g.expiresAt - now)})`);
  out.push(`Lockouts:   ${s.lockouts.length || 'none'}`);
  for (const l of s.lockouts) out.push(`  ${l.tier} tier until ${clock(l.until)} (${duration(l.until - now)}): ${l.cause}`);
  if (s.invalid.length) {
    out.push(`Invalid state files: ${s.invalid.length} (never used as clearances)`);
    for (const f of s.invalid) out.push(`  ${f.file}: ${f.reason}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return EXIT.OK;
}
