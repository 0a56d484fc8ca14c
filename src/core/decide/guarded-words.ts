import type { Rule } from '../config.js';
import { CATALOGUE } from '../rules/catalogue.js';
import type { CatalogueRule, MatchSpec } from '../rules/rule.js';
import { CODE_INTERPRETERS, SHELLS } from '../shell/interpreters.js';
import { commandName } from '../shell/command-name.js';
import { npmCommand, npmSpellings } from '../shell/npm-commands.js';
import type { DecisionContext } from './context.js';
import { mayRunGitAlias } from './may-run-git-alias.js';

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

/** theguard's own names and the variables and git words self-protection watches. */
const SELF_TOKENS = [
  'theguard', '.theguard', '.claude', 'claude', 'settings.json', 'settings.local.json', 'managed-settings.json', 'hooks', 'pre-push',
  '.husky', 'husky', 'lefthook', '.git', 'config', '.gitconfig', 'gitconfig', 'hookspath', 'core.hookspath', 'include.path',
  'disableallhooks', 'xdg_config_home', 'xdg_state_home', 'home', 'git_dir', 'git_work_tree', 'send-pack', '--no-verify', 'no-verify',
  'pepper', 'outbox', 'lefthook.yml', 'lefthook.yaml', '.lefthook.yml', '.lefthook.yaml', 'lefthook.json', 'lefthook.toml',
  // A package.json the configuration search reads may be replaced wholesale (`cp x.json package.json`).
  'package.json',
  // Commands that move or rewrite files without naming theguard's (`mv dir x`, `git stash -u`).
  'mv', 'stash', 'checkout', 'restore', 'switch',
  // theguard's human-only subcommands: the CLI may run under another name (`/tmp/x/tg verify`, a link to it).
  'verify', 'init', 'uninstall', '--config',
];
/**
 * Words that make the analyser follow code: script files, other shells, git's push and
 * its -c, interpreters, and commands that take their arguments or subcommand from their
 * input (`echo destroy | xargs terraform` is `terraform "$X"`).
 */
const ANALYSER_TOKENS = [
  'source', '.', 'push', '-c', '--config-env', '--git-dir', '--work-tree', 'awk', 'gawk', 'mawk', 'nawk', 'nodejs', 'tsx', 'ts-node',
  'xargs', 'gxargs', 'parallel', 'fd', 'fdfind',
  // They run a script from stdin or a file (`at now < job`).
  'at', 'batch',
  // Variables naming a file a shell sources, or a command git runs (`GIT_SSH_COMMAND=./x git fetch`).
  'bash_env', 'zdotdir', 'git_editor', 'git_sequence_editor', 'git_pager', 'git_ssh_command', 'git_ssh', 'git_askpass', 'ssh_askpass',
  'git_external_diff', 'git_proxy_command', 'editor', 'visual', 'pager', 'manpager',
  // GNU sed runs its input as commands with `e` (`sed -n e cmds.txt`).
  'sed', 'gsed',
];
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
  const keywords = CATALOGUE.flatMap(keywordsOf);
  const names = CATALOGUE.flatMap((r) => r.commands);
  const components = (p: string) => p.toLowerCase().split('/').filter(Boolean);
  const outside = [...ctx.userConfigDirs, ...ctx.outboxDirs, ...(ctx.apiKeyFile ? [ctx.apiKeyFile] : []), ...ctx.hooksPaths, ctx.home];
  const paths = [...[ctx.stateDir, ...ctx.cliPaths].map((p) => components(p).pop() ?? ''), ...outside.flatMap(components)];
  const userWords = ctx.rules.flatMap((r: Rule) => (r.command ? ruleWords(r.command) : []));
  const shell = new Set([...keywords, ...SELF_TOKENS, ...ANALYSER_TOKENS, ...SHELLS, ...Object.keys(CODE_INTERPRETERS), ...paths, ...userWords].filter((t) => t !== ''));
  const code = new Set([...names.filter((c) => c !== 'find'), ...CODE_TOKENS, ...paths, 'git', 'rm']);
  return { shell, code, phrases: new Set(PHRASES) };
}

/**
 * Words one of which is in every command the rule can match: given, or read off the
 * spec (the last literal word of a `sub`, an `operand`, an `option`), else the command
 * names. A word only known at run time (`terraform "$X"`) puts a `$` in the command,
 * which always forces analysis.
 */
export function keywordsOf(rule: CatalogueRule): readonly string[] {
  return rule.keywords ?? specWords(rule.match) ?? rule.commands;
}

function specWords(spec: MatchSpec): string[] | null {
  if ('sub' in spec) {
    const last = [...spec.sub].reverse().find((w): w is string => typeof w === 'string');
    return last === undefined ? null : [last.toLowerCase()];
  }
  if ('operand' in spec) return typeof spec.operand === 'string' ? [spec.operand.toLowerCase()] : null;
  if ('option' in spec) return spec.option.map((o) => o.toLowerCase());
  if ('all' in spec) return spec.all.map(specWords).find((w) => w !== null) ?? null;
  if ('any' in spec) {
    const each = spec.any.map(specWords);
    return each.some((w) => w === null) ? null : each.flat() as string[];
  }
  return null;
}

/**
 * A user command rule's most specific word that must appear: its last literal word, else
 * its command. For an npm rule whose last word is the command, every word npm runs as
 * that command too (`npm pu` runs publish).
 */
function ruleWords(command: string): string[] {
  const words = command.trim().split(/\s+/);
  const literal = [...words].reverse().find((w) => !/[*?[]/.test(w));
  if (literal === undefined) return ['*'];
  if (literal === words[0]) return [commandName(literal)];
  const npm = commandName(words[0] as string) === 'npm' && words.findIndex((w, i) => i > 0 && !w.startsWith('-')) === words.lastIndexOf(literal);
  const full = npm ? npmCommand(literal) : null;
  return full === null ? [literal.toLowerCase()] : [literal.toLowerCase(), ...npmSpellings(full)];
}

/**
 * Characters that let a command hide or compute words (`$`, backquotes, globs, braces),
 * and `~` or a lone `/`, which name the home dir or the root, above theguard's files:
 * the fast path never skips these.
 */
const COMPUTED = /[$`*?[{~]|(^|\s)\/(\s|$)/;

/** True when the command cannot be allowed without analysis. */
export function needsAnalysis(command: string, words: GuardedWords): boolean {
  return COMPUTED.test(command) || words.shell.has('*') || holds(command, words.shell, null) || mayRunGitAlias(command);
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
  if (set.has('delete-*') && (token.startsWith('delete-') || token.startsWith('terminate-'))) return true;
  // Abbreviated long options (`--ha` for `--hard`, `--no-ver`): getopt_long and git accept them.
  if (token.startsWith('--') && token.length >= 3 && !set.has(token)) {
    for (const k of set) if (k.startsWith('--') && k !== token && k.startsWith(token)) return true;
  }
  // `fs.rmSync` and `).rmtree(` split into tokens with a leading dot: look past it too.
  if (set.has(token) || set.has(token.replace(/^\.+/, '')) || set.has(token.slice(token.lastIndexOf('.') + 1))) return true;
  if (token.includes('theguard') || token.startsWith('git_config')) return true;
  if (token.endsWith('.sh') || token.endsWith('.bash')) return set.has('sh');
  return token.startsWith('python') && set.has('python');
}
