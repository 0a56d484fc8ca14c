import type { ClearanceView } from '../core/guard.js';
import { clock, duration } from '../core/lib/duration.js';

export { clock, duration };

/** One line per pending clearance, as `verify` and `status` list them. */
export function pendingLine(c: ClearanceView, now = Date.now()): string {
  return `${c.id}  ${c.tier.padEnd(6)}  ${c.summary}  (expires in ${duration(c.expiresAt - now)}, ${c.attemptsLeft} of ${c.maxAttempts} attempts left)`;
}

/** The exact parameters, indented, at most `maxLines` lines. */
export function paramsBlock(c: ClearanceView, maxLines = 30): string {
  const lines = JSON.stringify(c.params, null, 2).split('\n');
  const shown = lines.slice(0, maxLines).map((l) => `    ${l}`);
  if (lines.length > maxLines) shown.push(`    … ${lines.length - maxLines} more lines (theguard status --json shows all)`);
  return shown.join('\n');
}
