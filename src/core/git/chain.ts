import { spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { GuardError, errnoCode } from '../errors.js';

/**
 * The pre-push hook that was there before theguard: it runs first, with the same
 * arguments and the same refs on stdin (buffered, since stdin can be read only once),
 * and if it fails the push stops before any code is sent.
 *
 * - "exec": a hook file git would have run itself (kept under the common git dir).
 * - "sh": a husky script (.husky/pre-push) holding theguard's block at its top. It is
 *   run the way husky runs it, `sh -e`, with THEGUARD_CHAINED=1 so the block steps
 *   aside and the rest of the script runs.
 */
export type ChainKind = 'exec' | 'sh';

export interface Chained {
  readonly kind: ChainKind;
  readonly path: string;
}

export const CHAINED_ENV = 'THEGUARD_CHAINED';

export function runChained(hook: Chained, gitArgs: readonly string[], input: Buffer): number {
  const [cmd, args, env] = hook.kind === 'exec'
    ? [hook.path, [...gitArgs], process.env]
    : ['/bin/sh', ['-e', hook.path, ...gitArgs], { ...process.env, [CHAINED_ENV]: '1' }];
  const res = spawnSync(cmd, args, { input, env, stdio: ['pipe', 'inherit', 'inherit'] });
  // A hook may exit without reading its stdin (most do); the write then fails with EPIPE,
  // and the hook's own exit status is still the answer.
  const epipe = errnoCode(res.error) === 'EPIPE' && (res.status !== null || res.signal !== null);
  if (res.error && !epipe) {
    throw new GuardError('git', `cannot run the pre-push hook that theguard chains (${hook.path}): ${res.error.message}`,
      'run `theguard init` again to repair the installation, or `theguard doctor` to see what is wrong');
  }
  if (res.signal) return 128 + (constants.signals[res.signal] ?? 0);
  return res.status ?? 1;
}
