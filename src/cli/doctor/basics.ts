import { statSync } from 'node:fs';
import { GuardError, errnoCode } from '../../core/errors.js';
import { auditProblem } from '../commands/audit.js';
import type { Check, CheckResult } from './check.js';

/** The configuration, the pepper, the state dir and the audit log. */
export const basicsCheck: Check = {
  name: 'basics',
  async run({ loaded, guard }) {
    const out: CheckResult[] = [{ status: 'ok', title: `configuration: ${loaded.file ?? 'embedded defaults'}` }];
    try {
      const keys = guard.getKeys();
      out.push({ status: 'ok', title: `pepper: ${keys.path} (private, key id ${keys.keyId})` });
    } catch (err) {
      out.push({ status: 'fail', title: 'pepper is unusable', detail: (err as Error).message, fix: err instanceof GuardError ? err.fix : undefined });
      return out;
    }
    try {
      guard.store.init();
      const mode = statSync(guard.config.stateDir).mode & 0o777;
      out.push({ status: 'ok', title: `state dir: ${guard.config.stateDir} (mode ${mode.toString(8)})` });
    } catch (err) {
      out.push({ status: 'fail', title: 'state dir is unusable', detail: (err as Error).message, fix: (err instanceof GuardError && err.fix) || 'make it a real directory you own, mode 700' });
      return out;
    }
    const invalid = guard.store.listPending().invalid;
    if (invalid.length) {
      out.push({ status: 'warn', title: `${invalid.length} invalid pending file(s) in the state dir`, detail: invalid.map((f) => `${f.file}: ${f.reason}`).join('\n'), fix: 'they are never used; `theguard status` shows them, and the next request for that operation moves them to quarantine/' });
    }
    try {
      const check = guard.audit.verify();
      out.push(check.ok
        ? { status: 'ok', title: `audit log intact (${check.lines} lines)` }
        : { status: 'warn', title: 'audit log is not intact', detail: auditProblem(check), fix: check.fix });
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') out.push({ status: 'warn', title: 'audit log cannot be read', detail: (err as Error).message });
    }
    return out;
  },
};

/** How codes reach the human, and whether an agent could read them on the way. */
export const deliveryCheck: Check = {
  name: 'delivery',
  async run({ guard }) {
    const d = guard.delivery;
    const out: CheckResult[] = [
      d.secure
        ? { status: 'ok', title: `delivery: ${d.describe()}` }
        : { status: 'warn', title: `delivery: ${d.describe()}`, fix: 'configure an email provider (email.provider) for real protection' },
    ];
    if (guard.config.emailFallback === 'terminal') {
      out.push({ status: 'warn', title: 'emailFallback is "terminal": a failed email shows the code on the terminal', fix: 'set "emailFallback": "none" unless this machine cannot send email' });
    }
    return out;
  },
};
