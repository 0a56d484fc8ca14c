import { type GlobalOptions, openGuard } from '../context.js';
import type { CheckResult } from '../doctor/check.js';
import { CHECKS } from '../doctor/index.js';
import { EXIT } from '../exit-codes.js';

const MARK = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;

/** `theguard doctor [--json]`: look at the whole setup; exit 1 if anything failed. */
export async function doctorCommand(opts: GlobalOptions & { json?: boolean }): Promise<number> {
  const ctx = { ...(await openGuard(opts, 'doctor')), cwd: process.cwd() };
  const results: (CheckResult & { check: string })[] = [];
  for (const check of CHECKS) {
    try {
      for (const r of await check.run(ctx)) results.push({ ...r, check: check.name });
    } catch (err) {
      results.push({ check: check.name, status: 'fail', title: `the ${check.name} check crashed`, detail: (err as Error).message });
    }
  }
  const failed = results.some((r) => r.status === 'fail');
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ ok: !failed, results }, null, 2)}\n`);
  } else {
    for (const r of results) {
      process.stdout.write(`[${MARK[r.status]}] ${r.title}\n`);
      if (r.detail) process.stdout.write(`${r.detail.replace(/^/gm, '       ')}\n`);
      if (r.fix && r.status !== 'ok') process.stdout.write(`       Fix: ${r.fix}\n`);
    }
  }
  return failed ? EXIT.ERROR : EXIT.OK;
}
