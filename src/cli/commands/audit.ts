import type { AuditCheck } from '../../core/audit.js';
import { type GlobalOptions, openGuard } from '../context.js';
import { EXIT } from '../exit-codes.js';

/** `theguard audit [--json] [--verify]`: read the audit log, or check its chain. */
export async function auditCommand(opts: GlobalOptions & { json?: boolean; verify?: boolean }): Promise<number> {
  const { guard } = await openGuard(opts, 'audit');
  if (opts.verify) {
    const check = guard.audit.verify();
    if (opts.json) process.stdout.write(`${JSON.stringify({ path: guard.audit.path, ...check })}\n`);
    else if (check.ok && check.lines === 0) {
      process.stdout.write(
        `The audit log is empty (${guard.audit.path}): theguard has recorded nothing in this project yet, or audit.jsonl and audit.head were both deleted; the two cannot be told apart.\n`,
      );
    } else if (check.ok) process.stdout.write(`Audit log intact: ${check.lines} line(s), every link and seal checks out (${guard.audit.path}).\n`);
    else process.stdout.write(`Audit log NOT intact (${guard.audit.path}): ${auditProblem(check)}.\nFix: ${check.fix}.\n`);
    return check.ok ? EXIT.OK : EXIT.ERROR;
  }
  const entries = guard.audit.read();
  if (opts.json) {
    for (const e of entries) process.stdout.write(`${JSON.stringify(e)}\n`);
    return EXIT.OK;
  }
  if (entries.length === 0) process.stdout.write('The audit log is empty.\n');
  for (const e of entries) {
    const who = `${e.actor.via}${e.actor.session ? ` session ${e.actor.session}` : ''}`;
    const what = [e.tier, e.id, e.summary].filter(Boolean).join('  ');
    const gap = e.gap ? `  [LINES MAY BE MISSING BEFORE THIS ONE: ${e.gap}]` : '';
    process.stdout.write(`${String(e.seq).padStart(5)}  ${e.ts}  ${e.event.padEnd(15)}  ${what}${e.detail ? `  — ${e.detail}` : ''}  [${who}]${gap}\n`);
  }
  return EXIT.OK;
}

/** "line 3 does not match its MAC", or, for the end of the log, "after line 5: audit.head is missing ...". */
export function auditProblem(check: AuditCheck): string {
  const p = check.problem;
  if (!p) return 'unknown problem';
  return p.line > check.lines ? `after line ${check.lines} (the end of the log): ${p.reason}` : `line ${p.line} ${p.reason}`;
}
