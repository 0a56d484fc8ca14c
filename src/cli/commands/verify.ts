import { normalizeCode } from '../../core/code.js';
import type { CoreGuard, VerifyOutcome } from '../../core/guard.js';
import { type GlobalOptions, openGuard } from '../context.js';
import { CliExit, EXIT } from '../exit-codes.js';
import { clock, duration, paramsBlock } from '../format.js';
import { readSecret } from '../prompt.js';
import { pickPending, refuseCodeAsArgument } from './select.js';

/**
 * `theguard verify [id]`: the human, in their own terminal, types the code they
 * received. The code is read with echo off (or from one line of stdin) and checked
 * against the stored verifier; a match turns the request into a single-use grant.
 */
export async function verifyCommand(id: string | undefined, opts: GlobalOptions): Promise<number> {
  refuseCodeAsArgument(id);
  const { guard } = await openGuard(opts, 'verify');
  const target = await pickPending(guard, id, 'verify');
  const left = target.expiresAt - Date.now();
  process.stderr.write(
    `Approve: ${target.summary}\n` +
      `  id ${target.id} · ${target.tier} tier · expires in ${duration(left)} · ${target.attemptsLeft} of ${target.maxAttempts} attempts left\n` +
      (target.details ? `${target.details.replace(/^/gm, '  ')}\n` : '') +
      `  parameters:\n${paramsBlock(target)}\n`,
  );
  const typed = await readSecret('Code: ');
  const code = normalizeCode(typed);
  if (code === null) throw new CliExit(EXIT.USAGE, 'A code is 6 digits. Nothing was checked; no attempt was used.');
  return report(guard, await guard.verify(code, target.id));
}

function report(guard: CoreGuard, r: VerifyOutcome): number {
  const say = (s: string): void => void process.stdout.write(`${s}\n`);
  switch (r.status) {
    case 'granted':
      say(`Approved: ${r.clearance.summary}\nIt may run once, within ${duration(r.grantExpiresAt - Date.now())}. Retry the operation now.`);
      return EXIT.OK;
    case 'wrong':
      if (r.attemptsLeft > 0) say(`Wrong code. ${r.attemptsLeft} attempt(s) left.`);
      else say(`Wrong code. No attempts left: the code is revoked and ${r.clearance.tier}-tier approvals are locked until ${clock(r.lockedUntil ?? Date.now())}.`);
      return EXIT.DENIED;
    case 'locked':
      say(`${r.clearance.tier}-tier approvals are locked${r.until ? ` until ${clock(r.until)}` : ''} after too many wrong codes.`);
      return EXIT.DENIED;
    case 'cooldown':
      say(`Too soon: the ${r.clearance.tier} tier allows one try every ${guard.config[r.clearance.tier].cooldownSeconds}s. Try again in ${duration(r.retryAt - Date.now())}. No attempt was used.`);
      return EXIT.DENIED;
    case 'expired':
      say('That request expired or was replaced. Retry the operation to get a new code.');
      return EXIT.DENIED;
    case 'not_found':
      say(`No pending request has id ${r.id}.`);
      return EXIT.DENIED;
  }
}
