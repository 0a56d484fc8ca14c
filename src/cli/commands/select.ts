import type { ClearanceView, CoreGuard } from '../../core/guard.js';
import { CliExit, EXIT } from '../exit-codes.js';
import { pendingLine } from '../format.js';
import { choose, isInteractive } from '../prompt.js';

/** A six-digit argument is a code typed in the wrong place, never an id: refuse it unseen. */
export function refuseCodeAsArgument(id: string | undefined): void {
  if (id !== undefined && /^\d{6}$/.test(id.replace(/[\s-]/g, ''))) {
    throw new CliExit(EXIT.USAGE,
      'That looks like a code. theguard never takes a code as an argument: arguments are visible to other processes and land in shell history.\n' +
        'Run `theguard verify` (optionally with the request id) and type the code at the prompt.');
  }
}

/** The pending request a command acts on: the one named, the only one, or the one the human picks. */
export async function pickPending(guard: CoreGuard, id: string | undefined, verb: string): Promise<ClearanceView> {
  const pending = guard.pending();
  if (id !== undefined) {
    const found = pending.find((c) => c.id === id);
    if (!found) {
      throw new CliExit(EXIT.DENIED, `No pending request has id ${id}: it may have expired, been approved, or been replaced by a newer code.\nRun \`theguard status\` to see what is pending.`);
    }
    return found;
  }
  if (pending.length === 0) throw new CliExit(EXIT.DENIED, 'Nothing is waiting for approval.');
  if (pending.length === 1) return pending[0] as ClearanceView;
  const list = pending.map((c, i) => `  ${i + 1}. ${pendingLine(c)}`).join('\n');
  if (!isInteractive()) {
    throw new CliExit(EXIT.USAGE, `${pending.length} requests are pending; say which one to ${verb}:\n${list}\nFix: run \`theguard ${verb} <id>\`.`);
  }
  process.stderr.write(`${pending.length} requests are pending:\n${list}\n`);
  return pending[await choose(`Which one to ${verb}? [1-${pending.length}] `, pending.length)] as ClearanceView;
}
