import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { constants } from 'node:os';
import { normalizeCode } from '../../core/code.js';
import type { GuardConfig, Tier } from '../../core/config.js';
import { decideBash } from '../../core/decide/bash.js';
import { decisionContext } from '../../core/decide/context.js';
import { recordedReads } from '../../core/decide/recorded-reads.js';
import type { FileDigests } from '../../core/decide/tool-operation.js';
import { type CoreGuard, limitedSentence } from '../../core/guard.js';
import type { Operation } from '../../core/operation.js';
import { type GlobalOptions, openGuard } from '../context.js';
import { CliExit, EXIT } from '../exit-codes.js';
import { clock, duration } from '../format.js';
import { isInteractive, readSecret } from '../prompt.js';

/**
 * `theguard exec [--tier delete|push] [--reason TEXT] -- CMD...`: run CMD only with a
 * grant for exactly that command line in exactly this directory. At a terminal it asks
 * for the code inline; elsewhere (an agent's shell) it sends the code, says what to do,
 * and exits 3; the same command run again after `theguard verify` goes through, once.
 */
export async function execCommand(argv: string[], opts: GlobalOptions & { tier?: string; reason?: string }): Promise<number> {
  if (argv.length === 0) throw new CliExit(EXIT.USAGE, 'Nothing to run. Usage: theguard exec [--tier delete|push] -- <command> [args...]');
  const asked = (opts.tier ?? 'delete') as Tier;
  if (asked !== 'push' && asked !== 'delete') throw new CliExit(EXIT.USAGE, `--tier must be "push" or "delete" (it is "${opts.tier}").`);
  const { guard, loaded } = await openGuard(opts, 'exec');
  const cwd = realpathSync(process.cwd());
  const judged = judge(argv, cwd, loaded.root, guard.config);
  const tier = judged.delete ? 'delete' : asked;
  // The files read to judge it (a script it runs) are bound too: edited after approval, it needs a new code.
  const params: Operation['params'] = Object.keys(judged.reads).length > 0 ? { argv, cwd, reads: judged.reads } : { argv, cwd };
  const op: Operation = { tier, action: 'exec', summary: `run ${shellQuote(argv)}`, params };

  if (guard.consume(op)) return run(argv);
  const r = await guard.request(op, opts.reason ? { reason: opts.reason } : {});
  if (r.status === 'granted') return guard.consume(op) ? run(argv) : EXIT.DENIED;
  if (r.status === 'locked') {
    process.stderr.write(`theguard: ${tier}-tier approvals are locked until ${clock(r.until)} after too many wrong codes. Nothing ran.\n`);
    return EXIT.DENIED;
  }
  if (r.status === 'limited') {
    process.stderr.write(`theguard: \`${shellQuote(argv)}\` needs approval, but ${limitedSentence(r, guard.config.rateLimit.windowSeconds)}. Nothing ran.\n`);
    return EXIT.DENIED;
  }
  const sent = r.status === 'sent' ? `A code was sent to ${r.to}` : `A code was already sent to ${r.to} (request ${r.clearance.id}, expires in ${duration(r.clearance.expiresAt - Date.now())})`;
  if (!isInteractive()) {
    process.stderr.write(
      `theguard: \`${shellQuote(argv)}\` needs human approval (${tier} tier). ${sent}.\n` +
        `Ask the human to run \`theguard verify ${r.clearance.id}\` in their own terminal, then run the same command again.\n`,
    );
    return EXIT.VERIFY_REQUIRED;
  }
  process.stderr.write(`theguard: \`${shellQuote(argv)}\` needs approval (${tier} tier). ${sent}.\n`);
  return promptAndRun(guard, op, r.clearance.id, argv);
}

async function promptAndRun(guard: CoreGuard, op: Operation, id: string, argv: string[]): Promise<number> {
  for (;;) {
    const code = normalizeCode(await readSecret('Code: '));
    if (code === null) {
      process.stderr.write('A code is 6 digits; nothing was checked.\n');
      continue;
    }
    const v = await guard.verify(code, id);
    if (v.status === 'granted') {
      if (guard.consume(op)) return run(argv);
      process.stderr.write('theguard: the approval was used by another process before this one. Nothing ran.\n');
      return EXIT.DENIED;
    }
    if (v.status === 'wrong' && v.attemptsLeft > 0) {
      process.stderr.write(`Wrong code. ${v.attemptsLeft} attempt(s) left.\n`);
      continue;
    }
    if (v.status === 'cooldown') {
      process.stderr.write(`Too soon; try again in ${duration(v.retryAt - Date.now())}.\n`);
      continue;
    }
    const why = v.status === 'wrong' ? 'no attempts left; the code is revoked' : v.status === 'not_found' ? 'the request is gone' : v.status;
    process.stderr.write(`theguard: not approved (${why}). Nothing ran.\n`);
    return EXIT.DENIED;
  }
}

/**
 * `--tier push` cannot soften a command theguard's catalogue puts in the delete tier: the
 * caller (possibly an agent) picks the tier, so the stricter of the two applies.
 */
function judge(argv: string[], cwd: string, root: string, config: GuardConfig): { delete: boolean; reads: FileDigests } {
  const recorded = recordedReads();
  const ctx = decisionContext({ cwd, config, projectRoot: root, protectedBranches: config.push.protectedBranches, readFile: recorded.readFile });
  const d = decideBash(shellQuote(argv), ctx);
  return { delete: d.action === 'verify' && d.tier === 'delete', reads: recorded.digests() };
}

/** Run the approved command with this process's terminal; its exit status becomes ours. */
function run(argv: string[]): number {
  const [cmd, ...args] = argv as [string, ...string[]];
  const res = spawnSync(cmd, args, { stdio: 'inherit' });
  if (res.error) {
    process.stderr.write(`theguard: cannot run ${cmd}: ${res.error.message}\n`);
    return EXIT.CANNOT_RUN;
  }
  if (res.signal) return 128 + (constants.signals[res.signal] ?? 0);
  return res.status ?? 1;
}

export function shellQuote(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
