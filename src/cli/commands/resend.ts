import { limitedSentence } from '../../core/guard.js';
import { type GlobalOptions, openGuard } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { pickPending, refuseCodeAsArgument } from './select.js';

/** `theguard resend [id]`: the human asks for a fresh code; the pending one dies. */
export async function resendCommand(id: string | undefined, opts: GlobalOptions): Promise<number> {
  refuseCodeAsArgument(id);
  const { guard } = await openGuard(opts, 'resend');
  const target = await pickPending(guard, id, 'resend');
  const r = await guard.resend(target.id);
  if (r.status === 'sent') {
    process.stdout.write(`A new code for "${target.summary}" was sent to ${r.to} (request id ${r.clearance.id}). The previous code no longer works.\n`);
    return EXIT.OK;
  }
  if (r.status === 'locked') {
    process.stdout.write(`${r.tier}-tier approvals are locked until ${new Date(r.until).toLocaleTimeString()}; no code was sent.\n`);
    return EXIT.DENIED;
  }
  if (r.status === 'limited') {
    process.stdout.write(`${capitalised(limitedSentence(r, guard.config.rateLimit.windowSeconds))}. The code already sent for request ${target.id} still works.\n`);
    return EXIT.DENIED;
  }
  process.stdout.write(`No new code was sent (${r.status}).\n`);
  return EXIT.DENIED;
}

/** `theguard deny [id]`: the human declines; the pending code dies and nothing runs. */
export async function denyCommand(id: string | undefined, opts: GlobalOptions): Promise<number> {
  refuseCodeAsArgument(id);
  const { guard } = await openGuard(opts, 'deny');
  const target = await pickPending(guard, id, 'deny');
  if (!guard.deny(target.id)) {
    process.stdout.write('That request was no longer pending.\n');
    return EXIT.DENIED;
  }
  process.stdout.write(`Denied: ${target.summary}. Its code no longer works.\n`);
  return EXIT.OK;
}

const capitalised = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
