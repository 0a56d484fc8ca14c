import type { Rule } from '../config.js';
import { CATALOGUE } from '../rules/catalogue.js';
import { CODE_INTERPRETERS, SHELLS } from '../shell/interpreters.js';
import { commandName } from '../shell/wrappers.js';
import type { DecisionContext } from './context.js';

/**
 * Guarded words: a single linear scan that decides whether a command needs analysing
 * at all, and what "holds a guarded word" means for input theguard cannot analyse.
 *
 * Text is lowercased, quotes and backslashes are dropped (so `g''it` and `\rm` read as
 * git and rm), and split into tokens of [a-z0-9_.-]. Two sets:
 * - `shell`: every word any check acts on (command names, theguard's paths, variable
 *   names). A command without one of them, and without `$`, backquotes or glob
 *   characters, cannot trigger anything: it is allowed without parsing.
 * - `code`: for program text in other languages (`python -c`), which is never
 *   analysed: the tools theguard gates, theguard's own names, and destructive phrases.
 */
export interface GuardedWords {
  readonly shell: ReadonlySet<string>;
  readonly code: ReadonlySet<string>;
  /** Two-token phrases for code (`drop table`). */
  readonly phrases: ReadonlySet<string>;
}

const SELF_TOKENS = [
  'theguard', '.theguard', '.claude', 'claude', 'settings.json', 'settings.local.json', 'managed-settings.json', 'hooks', 'pre-push',
  '.husky', 'husky', 'lefthook', '.git', 'config', '.gitconfig', 'gitconfig', 'hookspath', 'core.hookspath', 'include.path',
  'disableallhooks', 'xdg_config_home', 'xdg_state_home', 'home', 'send-pack', '--no-verify', 'no-verify', 'pepper', 'outbox',
  'lefthook.yml', 'lefthook.yaml', '.lefthook.yml', '.lefthook.yaml', 'lefthook.json', 'lefthook.toml',
];
const ANALYSER_TOKENS = ['eval', 'source', '.', 'alias', 'trap', 'ssh', 'find', 'git', 'rm', 'xargs', 'parallel', 'env', 'export', 'unset', 'declare', 'typeset', 'readonly', 'local', 'awk', 'gawk', 'mawk', 'nawk', 'node', 'nodejs', 'tsx', 'ts-node', 'npm', 'pnpm', 'yarn', 'bun', 'npx', 'bunx', 'pnpx'];
const CODE_TOKENS = [
  'theguard', '.theguard', 'pepper', 'hookspath', 'core.hookspath', 'disableallhooks', 'pre-push', '.claude', 'xdg_config_home', 'xdg_state_home',
  'no-verify', '--no-verify', 'send-pack', 'rmtree', 'rmsync', 'rm_rf', 'remove_dir_all', 'rimraf', 'flushall', 'flushdb', 'dropdatabase', 'dropdb',
];
const PHRASES = ['drop table', 'drop database', 'drop schema', 'drop view', 'drop index', 'truncate table', 'delete from', 'alter table', 'rm -rf', 'rm -r', 'push --force', 'push -f', 'reset --hard', 'clean -f', 'clean -fd', 'clean -fdx'];

const cache = new WeakMap<DecisionContext, GuardedWords>();

export function guardedWords(ctx: DecisionContext): GuardedWords {
  let words = cache.get(ctx);
  if (!words) {
    words = build(ctx);
    cache.set(ctx, words);
  }
  return words;
}

function build(ctx: DecisionContext): GuardedWords {
  const catalogue = CATALOGUE.flatMap((r) => r.commands);
  const base = (p: string) => p.slice(p.lastIndexOf('/') + 1).toLowerCase();
  const paths = [ctx.stateDir, ctx.userConfigDir, ...ctx.outboxDirs, ...(ctx.apiKeyFile ? [ctx.apiKeyFile] : []), ...ctx.hooksPaths, ...ctx.cliPaths].map(base);
  const userCommands = ctx.rules.flatMap((r: Rule) => (r.command ? [commandName(r.command.trim().split(/\s+/)[0] ?? '')] : []));
  const shell = new Set([...catalogue, ...SELF_TOKENS, ...ANALYSER_TOKENS, ...SHELLS, ...Object.keys(CODE_INTERPRETERS), ...paths, ...userCommands].filter((t) => t !== ''));
  const code = new Set([...catalogue.filter((c) => c !== 'find'), ...CODE_TOKENS, ...paths, 'git', 'rm']);
  return { shell, code, phrases: new Set(PHRASES) };
}

/** Characters that let a command hide or compute words: the fast path never skips these. */
const COMPUTED = /[$`*?[{]/;

/** True when the command cannot be allowed without analysis. */
export function needsAnalysis(command: string, words: GuardedWords): boolean {
  return COMPUTED.test(command) || holds(command, words.shell, null);
}

export function holdsShellWord(text: string, words: GuardedWords): boolean {
  return holds(text, words.shell, null);
}

export function holdsCodeWord(text: string, words: GuardedWords): boolean {
  return holds(text, words.code, words.phrases);
}

function holds(text: string, set: ReadonlySet<string>, phrases: ReadonlySet<string> | null): boolean {
  const flat = text.toLowerCase().replace(/\\\n/g, '').replace(/['"\\]/g, '');
  let prev = '';
  let start = -1;
  for (let i = 0; i <= flat.length; i++) {
    const c = flat.charCodeAt(i);
    const inToken = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
    if (inToken) {
      if (start === -1) start = i;
      continue;
    }
    if (start === -1) continue;
    const token = flat.slice(start, i);
    start = -1;
    if (hit(token, set)) return true;
    if (phrases && phrases.has(`${prev} ${token}`)) return true;
    prev = token;
  }
  return false;
}

function hit(token: string, set: ReadonlySet<string>): boolean {
  // `fs.rmSync` and `).rmtree(` split into tokens with a leading dot: look past it too.
  if (set.has(token) || set.has(token.replace(/^\.+/, '')) || set.has(token.slice(token.lastIndexOf('.') + 1))) return true;
  if (token.includes('theguard') || token.startsWith('git_config')) return true;
  if (token.endsWith('.sh') || token.endsWith('.bash')) return set.has('sh');
  return token.startsWith('python') && set.has('python');
}
