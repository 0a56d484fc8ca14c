import type { Check, CheckResult } from './check.js';

/**
 * Whoever holds a full-access provider key can read sent messages back, codes included.
 * This check asks the provider what the configured key may do, with a read-only request
 * and without sending mail, and says how to get a send-only key where one exists.
 */
export const keyScopeCheck: Check = {
  name: 'key-scope',
  async run({ guard }) {
    const d = guard.delivery;
    if (!d.probeKeyScope) return [];
    const finding: CheckResult = await d.probeKeyScope();
    return [finding];
  },
};
