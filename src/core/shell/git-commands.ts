import { configWrite } from './git-config.js';
import { type GitGlobals, gitGlobals } from './git-globals.js';
import { litWord, scanAll, scanOptions } from './options.js';
import type { Part, Word } from './syntax.js';
import { type Vars, literal, resolve } from './words.js';

/**
 * Git settings whose value is a command git runs, through the shell: an editor, a pager,
 * an ssh or askpass program, the fsmonitor hook, diff and merge drivers, filters,
 * credential helpers. `git -c core.fsmonitor='rm -rf ~' status` runs `rm -rf ~`, and
 * `git config core.pager '...'` leaves it for every later `git log`. The walker analyses
 * each such value as a shell command, like `bash -c VALUE`.
 */
const COMMAND_KEY = new RegExp(
  '^(' +
    [
      'core\\.(fsmonitor|editor|pager|sshcommand|askpass|gitproxy)',
      'sequence\\.editor',
      'diff\\.external',
      'gpg\\.program',
      'gpg\\.[^.]+\\.(program|defaultkeycommand)',
      'credential\\.(.+\\.)?helper',
      'pager\\..+',
      'interactive\\.difffilter',
      '(diff|merge|filter)\\..+\\.(command|textconv|driver|clean|smudge|process)',
      '(difftool|mergetool|browser|man)\\..+\\.(cmd|path)',
      'remote\\..+\\.(uploadpack|receivepack)',
      'sendemail\\.(sendmailcmd|smtpserver)',
    ].join('|') +
    ')$',
  'i',
);

/** Variables whose value git runs as a command: on any program (any of them may run git). */
const COMMAND_ENV = new Set(['GIT_EDITOR', 'GIT_SEQUENCE_EDITOR', 'GIT_PAGER', 'GIT_SSH_COMMAND', 'GIT_SSH', 'GIT_ASKPASS', 'SSH_ASKPASS', 'GIT_EXTERNAL_DIFF', 'GIT_PROXY_COMMAND', 'MANPAGER']);
/** General ones git falls back to: only on git itself. */
const GIT_FALLBACK_ENV = new Set(['EDITOR', 'VISUAL', 'PAGER']);

export function commandEnv(name: string, isGit: boolean): boolean {
  return COMMAND_ENV.has(name) || (isGit && GIT_FALLBACK_ENV.has(name));
}

/** A command git would run: the shell text, or null when it is only known at run time. */
export interface GitCommand {
  readonly how: string;
  readonly text: Word | null;
}

/** What a git invocation's settings (argv from `git` on) make git run. */
export function gitCommands(argv: readonly Word[], vars: Vars): GitCommand[] {
  const out: GitCommand[] = [];
  const g = gitGlobals(argv);
  for (const { key, value } of configSettings(g, vars)) {
    if (key === null) out.push({ how: 'git -c', text: null });
    else if (COMMAND_KEY.test(key)) out.push({ how: `git -c ${key}`, text: value === null ? null : bare(value) });
  }
  if (literal(argv[g.index] ?? litWord('')) === 'config') {
    const set = configSet(argv.slice(g.index + 1));
    if (set) out.push(...set);
  }
  return out;
}

/**
 * Each `-c KEY=VALUE` and `--config-env KEY=VAR` of a git invocation: the key lowercased,
 * null when only known at run time; the value null when it is the value of a variable
 * theguard cannot read. Shared by the command settings here and the walker's aliases.
 */
export function configSettings(g: GitGlobals, vars: Vars): { key: string | null; value: Word | null }[] {
  return g.configs.map((c) => {
    const { key, value } = splitKey(c);
    return { key, value: g.configEnvs.includes(c) ? fromVariable(value, vars) : value };
  });
}

/** `KEY=VALUE` split at the first `=` of its literal start; key null when that start is not literal. */
function splitKey(w: Word): { key: string | null; value: Word } {
  let key = '';
  for (let k = 0; k < w.parts.length; k++) {
    const p = w.parts[k] as Part;
    if (p.t !== 'lit') return { key: null, value: w };
    const eq = p.s.indexOf('=');
    if (eq === -1) {
      key += p.s;
      continue;
    }
    const rest: Part[] = [...(eq + 1 < p.s.length ? [{ ...p, s: p.s.slice(eq + 1) }] : []), ...w.parts.slice(k + 1)];
    return { key: (key + p.s.slice(0, eq)).toLowerCase(), value: { parts: rest, raw: w.raw.slice(w.raw.indexOf('=') + 1), subs: w.subs } };
  }
  // `-c key` alone sets key to true: nothing to run.
  return { key: key.toLowerCase(), value: litWord('true') };
}

/** `--config-env=KEY=VAR`: the value is VAR's. */
function fromVariable(name: Word, vars: Vars): Word | null {
  const n = literal(name);
  const v = n === null ? undefined : vars(n);
  return v === undefined ? null : litWord(v);
}

/** A leading `!` (credential helpers, aliases) only says "this is a shell command". */
export function bare(w: Word): Word {
  const first = w.parts[0];
  if (first?.t !== 'lit' || !first.s.startsWith('!')) return w;
  return { ...w, parts: [...(first.s.length > 1 ? [{ ...first, s: first.s.slice(1) }] : []), ...w.parts.slice(1)] };
}

/**
 * `git config [--global] [set] KEY VALUE` with a command key or an alias: the value will
 * run later, from the config file, so it is judged as it is set. (A `git NAME` later in
 * the line, or in a later call, finds the alias too: see the walker's gitAlias.)
 */
function configSet(args: readonly Word[]): GitCommand[] | null {
  const set = configWrite(args);
  if (!set) return null;
  const { key, value } = set;
  if (key === null) return [{ how: 'git config', text: null }];
  if (COMMAND_KEY.test(key)) return [{ how: `git config ${key}`, text: bare(value) }];
  if (!key.startsWith('alias.')) return null;
  const v = resolve(value, () => undefined);
  if (v === null) return [{ how: `git config ${key}`, text: null }];
  return [{ how: `git config ${key}`, text: v.startsWith('!') ? litWord(v.slice(1)) : litWord(`git ${v}`) }];
}

/**
 * A command a git subcommand runs from its arguments: `git rebase -x CMD`, `git bisect
 * run CMD ARGS`, `git filter-branch --tree-filter CMD`, `git difftool -x CMD`, `git
 * submodule foreach CMD`. One word is a shell string; several are a command and its
 * arguments (git runs them through the shell too, the first word unquoted).
 * `elsewhere`: it runs in another directory theguard does not follow (a submodule, the
 * temporary checkout of filter-branch).
 */
export interface GitRun {
  readonly how: string;
  readonly words: readonly Word[];
  readonly elsewhere: boolean;
}

const FILTERS = ['setup', 'env-filter', 'tree-filter', 'index-filter', 'parent-filter', 'msg-filter', 'commit-filter', 'tag-name-filter'];

export function gitRuns(argv: readonly Word[]): GitRun[] {
  const at = gitGlobals(argv).index;
  const sub = literal(argv[at] ?? litWord(''));
  const args = argv.slice(at);
  const values = (short: string, long: string[], take: string[], how: string, elsewhere: boolean): GitRun[] => {
    const scan = scanAll(args, 1, { short, long });
    return take.flatMap((k) => (scan.values.get(k) ?? []).map((w) => ({ how: `${how} --${k}`, words: [w], elsewhere })));
  };
  if (sub === 'rebase') return values('xsXC', ['exec', 'onto', 'strategy', 'strategy-option'], ['x', 'exec'], 'git rebase', false);
  if (sub === 'difftool') return values('tx', ['tool', 'extcmd'], ['x', 'extcmd'], 'git difftool', false);
  if (sub === 'mergetool') return values('tO', ['tool', 'tool-cmd'], ['tool-cmd'], 'git mergetool', false);
  if (sub === 'filter-branch') return values('d', [...FILTERS, 'subdirectory-filter', 'original', 'state-branch'], FILTERS, 'git filter-branch', true);
  if (sub === 'bisect' && literal(args[1] ?? litWord('')) === 'run') return run(args.slice(2), 'git bisect run', false);
  if (sub === 'submodule') {
    let i = 1;
    while (i < args.length && (literal(args[i] as Word) ?? '').startsWith('-')) i++;
    if (literal(args[i] ?? litWord('')) !== 'foreach') return [];
    const scan = scanOptions(args, i + 1, {});
    return run(args.slice(scan.index), 'git submodule foreach', true);
  }
  return [];
}

function run(words: readonly Word[], how: string, elsewhere: boolean): GitRun[] {
  return words.length === 0 ? [] : [{ how, words, elsewhere }];
}
