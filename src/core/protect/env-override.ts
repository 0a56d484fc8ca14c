import type { Invocation } from '../shell/invocation.js';
import { SHELLS } from '../shell/interpreters.js';
import { literal } from '../shell/words.js';

/**
 * theguard finds its pepper and outbox through HOME and XDG_*, and git finds hooks
 * through its config. A command that changes those for itself could point theguard at
 * a pepper the agent wrote, or git at no hooks at all.
 */
const ALWAYS = new Set(['XDG_CONFIG_HOME', 'XDG_STATE_HOME']);
const GIT_CONFIG = /^GIT_CONFIG(_PARAMETERS|_COUNT|_KEY_\d+|_VALUE_\d+|_GLOBAL|_SYSTEM)?$/;
/**
 * Variables that make a hook runner skip the pre-push hook: husky and lefthook skip every
 * hook, THEGUARD_CHAINED makes theguard's block in .husky/pre-push step aside. Set for a
 * push this hook leaves to the pre-push hook, they would leave it to nobody.
 */
const HOOK_SKIP = new Set(['HUSKY', 'HUSKY_SKIP_HOOKS', 'LEFTHOOK', 'LEFTHOOK_EXCLUDE', 'LEFTHOOK_SKIP', 'LEFTHOOK_BIN', 'LEFTHOOK_CONFIG', 'THEGUARD_CHAINED']);
/**
 * Variables that load code into the programs a command starts: into theguard's own node
 * process (`NODE_OPTIONS=--require x.js git push` runs x.js inside the pre-push hook),
 * or into every dynamically linked one. Refused for git, theguard and shells, and when
 * exported; inline on another command they do not reach theguard.
 */
const INJECT = new Set(['NODE_OPTIONS', 'LD_PRELOAD', 'LD_AUDIT', 'LD_LIBRARY_PATH', 'DYLD_INSERT_LIBRARIES', 'DYLD_LIBRARY_PATH']);
const INJECT_INTO = new Set(['git', 'theguard', ...SHELLS]);
/** Commands that run theguard or git (wrappers such as npx and env are already peeled off). */
const RUNS_GUARD = new Set(['git', 'theguard', 'node', 'nodejs', 'bun', 'deno', ...SHELLS]);
const DECLARE = new Set(['export', 'declare', 'typeset', 'readonly', 'local', 'unset']);

export function envOverride(inv: Invocation): string | null {
  const changes = inv.env.map((e) => e.name);
  if (inv.name !== null && DECLARE.has(inv.name)) {
    for (const w of inv.argv.slice(1)) {
      const t = literal(w);
      if (t !== null && !t.startsWith('-')) changes.push(t.split('=')[0] as string);
    }
  }
  const affectsShell = inv.setsShellVars || (inv.name !== null && DECLARE.has(inv.name));
  for (const name of changes) {
    if (ALWAYS.has(name)) return `it sets ${name}, which tells theguard where its pepper and outbox are`;
    if (name === 'HOME' && (affectsShell || RUNS_GUARD.has(inv.name ?? ''))) return 'it changes HOME for a command that may run theguard, which would then look for its pepper elsewhere';
    if (GIT_CONFIG.test(name) && (affectsShell || RUNS_GUARD.has(inv.name ?? ''))) return `it sets ${name}, which can change git's core.hooksPath and skip the pre-push hook`;
    if (INJECT.has(name) && (affectsShell || INJECT_INTO.has(inv.name ?? ''))) {
      return `it sets ${name}, which loads other code into the programs it starts, theguard's hooks among them; set it inline on the command that needs it (${name}=... npm run build)`;
    }
    if (HOOK_SKIP.has(name) && (affectsShell || RUNS_GUARD.has(inv.name ?? ''))) return `it sets ${name}, which makes the pre-push hook step aside`;
  }
  return null;
}
