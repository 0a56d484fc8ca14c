import type { Invocation } from '../shell/invocation.js';
import { literal } from '../shell/words.js';
import { gitCall } from '../rules/git.js';
import { pushFinding } from '../rules/git-push.js';

/**
 * The pre-push hook runs only while git finds it: `--no-verify` skips it, `send-pack`
 * never runs it, and `core.hooksPath` (or a config include that sets it) moves where
 * git looks. Setting, unsetting or editing these is the human's business.
 */
const HOOK_KEYS = /^(core\.hookspath|include\.path|includeif\..*\.path)$/i;

export function gitHookBypass(inv: Invocation, home: string): { id: 'self.hooks-path' | 'self.no-verify'; why: string } | null {
  const call = gitCall(inv, home);
  if (!call) return null;
  const set = call.configs.find((c) => HOOK_KEYS.test(c.split('=')[0] ?? '') || /^core\.hookspath/i.test(c));
  if (set) return { id: 'self.hooks-path', why: `\`git -c ${set.split('=')[0]}=…\` changes where git looks for hooks` };
  if (call.sub === 'send-pack') return { id: 'self.no-verify', why: '`git send-pack` pushes without running the pre-push hook' };
  if (call.sub === 'push' && pushFinding(inv, home)?.noVerify) return { id: 'self.no-verify', why: '`git push --no-verify` skips the pre-push hook' };
  if (call.sub === 'config') return configWrite(call.args.map((w) => literal(w)));
  return null;
}

/** `git config` forms that set, unset, rename or edit: a read of the key is fine. */
function configWrite(args: readonly (string | null)[]): { id: 'self.hooks-path'; why: string } | null {
  const { flags, operands } = splitConfigArgs(args);
  const verb = operands[0] ?? '';
  // Writing options count abbreviated (git accepts `--unse`); reading options only in full.
  const writes = (...names: string[]) => flags.some((f) => f.startsWith('--') && f.length >= 4 && names.some((n) => n.startsWith(f)));
  if (flags.includes('-e') || writes('--edit') || verb === 'edit') return { id: 'self.hooks-path', why: '`git config --edit` can set core.hooksPath' };
  if (writes('--remove-section', '--rename-section') || verb === 'remove-section' || verb === 'rename-section') {
    const sections = verb.endsWith('section') ? operands.slice(1) : operands;
    return sections.some((o) => o === null || /^(core|include)/i.test(o)) ? { id: 'self.hooks-path', why: 'it removes or renames the section that holds core.hooksPath' } : null;
  }
  if (flags.some((f) => /^--(get|get-all|get-regexp|get-urlmatch|list|show-origin|show-scope|name-only)$/.test(f) || f === '-l') || verb === 'get' || verb === 'list') return null;
  const subVerb = verb === 'set' || verb === 'unset';
  const keyed = subVerb ? operands.slice(1) : operands;
  const key = keyed[0];
  const changes = subVerb || keyed.length >= 2 || writes('--unset', '--unset-all', '--replace-all', '--add');
  if (key === undefined || !changes) return null;
  if (key === null) return { id: 'self.hooks-path', why: '`git config` would change a key that is only known when it runs' };
  return HOOK_KEYS.test(key) ? { id: 'self.hooks-path', why: `\`git config\` would change ${key}` } : null;
}

/** Options can come anywhere in git's argument parsing; these take a value. */
const CONFIG_VALUE_OPTIONS = new Set(['-f', '--file', '--blob', '--type', '--default', '--comment', '--value']);

function splitConfigArgs(args: readonly (string | null)[]): { flags: string[]; operands: (string | null)[] } {
  const flags: string[] = [];
  const operands: (string | null)[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string | null;
    if (a !== null && a.startsWith('-') && a !== '--') {
      flags.push(a.split('=')[0] as string);
      if (CONFIG_VALUE_OPTIONS.has(a)) i++;
    } else if (a !== '--') operands.push(a);
  }
  return { flags, operands };
}
