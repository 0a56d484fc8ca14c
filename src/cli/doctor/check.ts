import type { CoreGuard } from '../../core/guard.js';
import type { LoadedConfig } from '../../config/load.js';

/**
 * One thing `theguard doctor` looks at. Checks never change anything; each result says
 * what was found and, when something is wrong, the exact fix.
 */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  readonly status: CheckStatus;
  readonly title: string;
  readonly detail?: string;
  readonly fix?: string | undefined;
}

export interface DoctorContext {
  readonly loaded: LoadedConfig;
  readonly guard: CoreGuard;
  readonly cwd: string;
}

export interface Check {
  readonly name: string;
  run(ctx: DoctorContext): Promise<CheckResult[]>;
}
