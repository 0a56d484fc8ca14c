import { foundFile } from '../shell/find-results.js';
import { gitGlobals } from '../shell/git-globals.js';
import type { Invocation } from '../shell/invocation.js';
import { type OptionSpec, type ScannedOptions, has, hasLong, litWord, scanOptions } from '../shell/options.js';
import type { Word } from '../shell/syntax.js';
import { literal } from '../shell/words.js';

/**
 * Which words of a command name files, and what the command does to them. Reading
 * a config file is fine, writing it is not; reading the state dir is already too much;
 * deleting a directory that holds the pepper is as bad as deleting the pepper.
 *
 * Unknown commands are assumed to write the files they name: a path to a guarded
 * file rarely appears in a command, and when it does the cautious reading is right.
 */
export type Mode = 'read' | 'write' | 'delete' | 'recursive-read';

export interface PathUse {
  readonly word: Word;
  readonly mode: Mode;
}

/** Commands whose arguments are data, not file names. */
const DATA_ONLY = new Set([
  'echo', 'printf', 'true', 'false', ':', 'test', '[', '[[', '((', 'case', 'for', 'select', 'type', 'which', 'whereis',
  'hash', 'help', 'let', 'expr', 'exit', 'return', 'shift', 'set', 'shopt', 'sleep', 'seq', 'yes', 'date', 'basename',
  'dirname', 'printenv', 'export', 'declare', 'typeset', 'local', 'readonly', 'unset', 'alias', 'unalias', 'trap', 'eval',
  'kill', 'wait', 'jobs', 'fg', 'bg', 'history', 'read', 'getopts', 'exec', 'command', 'builtin', 'ssh', 'curl', 'wget',
]);

const READ_ONLY = new Set([
  'cat', 'less', 'more', 'head', 'tail', 'bat', 'batcat', 'wc', 'file', 'stat', 'ls', 'dir', 'vdir', 'tree', 'du', 'diff',
  'cmp', 'comm', 'nl', 'sort', 'uniq', 'cut', 'column', 'fold', 'fmt', 'paste', 'join', 'strings', 'od', 'xxd', 'hexdump',
  'base64', 'md5sum', 'sha1sum', 'sha256sum', 'sha512sum', 'b2sum', 'cksum', 'sum', 'readlink', 'realpath', 'grep', 'egrep',
  'fgrep', 'rg', 'ag', 'ack', 'jq', 'yq', 'cd', 'pushd', 'source', '.', 'tac', 'rev', 'pr', 'expand', 'unexpand', 'lsattr',
  'getfacl', 'namei', 'awk', 'gawk', 'mawk', 'nawk', 'node', 'python', 'python3', 'deno', 'bun', 'ruby', 'perl', 'php',
  'sh', 'bash', 'zsh', 'dash', 'ksh', 'find', 'gfind', 'bfs', 'fd', 'fdfind', 'tar', 'zip', 'gzip', 'zcat', 'bzcat', 'xzcat', 'unzip',
]);

/**
 * Commands that print what they find below their roots (names, or lines of the files).
 * When that output is used, piped on, substituted or saved, what it names gets read:
 * `cat $(find ~ -name pepper)` reads the pepper as surely as `find ~ -exec cat {} +`.
 */
const FINDS = new Set(['find', 'gfind', 'bfs']);
const LOCATES = new Set(['locate', 'plocate', 'mlocate', 'slocate']);
const LISTERS = new Set([...FINDS, 'fd', 'fdfind', 'tree', 'rg', 'ag', 'ls', 'dir', 'vdir', 'du']);
/** `find -fprint FILE`, `fd -x CMD`: the list is saved, or handed to a command. */
const FIND_USES = /^-(exec|execdir|ok|okdir|fprint|fprint0|fprintf|fls)$/;
const FD_USES = /^(-[a-zA-Z]*[xX]|--exec|--exec-batch)$/;

const DELETERS = new Set(['rm', 'rmdir', 'unlink', 'shred', 'trash', 'trash-put', 'srm', 'wipe', 'mv']);

/** The first operand is a pattern or program, not a file, unless an option supplies it. */
const PATTERN_FIRST: Readonly<Record<string, { spec: OptionSpec; given: readonly string[] }>> = {
  grep: { spec: { short: 'ABCDdefm', long: ['after-context', 'before-context', 'context', 'devices', 'directories', 'regexp', 'file', 'max-count', 'label', 'include', 'exclude', 'exclude-dir', 'exclude-from', 'color', 'colour', 'binary-files'] }, given: ['e', 'f', 'regexp', 'file'] },
  rg: { spec: { short: 'ABCEefgjmMrtT', long: ['after-context', 'before-context', 'context', 'encoding', 'regexp', 'file', 'glob', 'iglob', 'threads', 'max-count', 'max-columns', 'replace', 'type', 'type-not', 'type-add', 'sort', 'sortr', 'max-depth', 'color', 'colors', 'pre', 'ignore-file'] }, given: ['e', 'f', 'regexp', 'file', 'files', 'type-list'] },
  ag: { spec: { short: 'ABCGgm', long: ['after', 'before', 'context', 'file-search-regex', 'ignore', 'max-count', 'depth'] }, given: ['g'] },
  ack: { spec: { short: 'ABCgm', long: ['after-context', 'before-context', 'context', 'type', 'max-count', 'ignore-dir', 'ignore-file'] }, given: ['f', 'g'] },
  sed: { spec: { short: 'efl', long: ['expression', 'file', 'line-length'] }, given: ['e', 'f', 'expression', 'file'] },
  awk: { spec: { short: 'fvF', long: ['file', 'assign', 'field-separator'] }, given: ['f', 'file'] },
  jq: { spec: { long: ['arg', 'argjson', 'slurpfile', 'rawfile', 'args', 'jsonargs', 'indent', 'from-file'] }, given: ['from-file'] },
  fd: { spec: { short: 'edtEcjSoxX', long: ['extension', 'max-depth', 'min-depth', 'exact-depth', 'type', 'exclude', 'color', 'threads', 'size', 'changed-within', 'changed-before', 'owner', 'base-directory', 'search-path', 'path-separator', 'max-results', 'ignore-file', 'format', 'exec', 'exec-batch'] }, given: [] },
};
const PATTERN_ALIASES: Readonly<Record<string, string>> = { egrep: 'grep', fgrep: 'grep', gawk: 'awk', mawk: 'awk', nawk: 'awk', yq: 'jq', perl: 'sed', fdfind: 'fd' };

/** Subcommands whose operands are refs, remotes or messages, not files. */
const GIT_NO_PATHS = new Set(['commit', 'tag', 'push', 'fetch', 'pull', 'config', 'branch', 'remote', 'merge', 'rebase', 'switch', 'cherry-pick', 'revert', 'send-pack']);
const GIT_READS = new Set(['diff', 'show', 'log', 'blame', 'status', 'ls-files', 'grep', 'cat-file', 'add', 'check-ignore', 'rev-parse', 'shortlog', 'describe', 'ls-tree', 'annotate', 'whatchanged', 'difftool', 'range-diff']);

export function takesNoPaths(name: string): boolean {
  return DATA_ONLY.has(name);
}

/** Variables naming a file a shell will source (`BASH_ENV=F bash -c ls` reads F). */
const SOURCED_BY = new Set(['BASH_ENV', 'ENV', 'ZDOTDIR']);

export function pathUses(inv: Invocation): PathUse[] {
  const uses: PathUse[] = redirectUses(inv);
  for (const e of inv.env) if (e.value && SOURCED_BY.has(e.name)) uses.push({ word: e.value, mode: 'read' });
  const name = inv.name ?? '';
  if (inv.pseudo || DATA_ONLY.has(name) || (inv.argv.length < 2 && !LISTERS.has(name) && !LOCATES.has(name))) return uses;
  if (name === 'git') return [...uses, ...gitUses(inv)];
  if (LOCATES.has(name)) return listUsed(inv, name) ? [...uses, { word: litWord('/'), mode: 'recursive-read' }] : uses;
  const operands = operandWords(inv, name);
  const mode = modeOf(inv, name);
  const last = operands.length - 1;
  operands.forEach((word, k) => {
    if (['cp', 'install', 'ln', 'rsync', 'scp'].includes(name)) uses.push({ word, mode: k === last && last > 0 ? 'write' : recursive(inv, name) ? 'recursive-read' : 'read' });
    else uses.push({ word, mode });
  });
  // `find . -name '*.json' -delete` deletes what `find . -name '*.json' -exec rm {} +` would.
  if (mode === 'delete' && FINDS.has(name)) uses.push({ word: foundFile(inv.argv), mode });
  // `cd ~ && find -name pepper | xargs cat`, `grep -r x`: with no root, the search starts where it runs.
  const searches = listsTree(name, scanOptions(inv.argv, 1, {})) || PATTERN_ALIASES[name] === 'grep' || name === 'grep';
  if (mode === 'recursive-read' && searches && !namesRoot(inv, name, operands)) uses.push({ word: litWord('.'), mode });
  return uses;
}

/**
 * Whether what the command prints is used: piped on or substituted (see pipedOut),
 * written to a file (`find ~ > list`, read back later), or handed on by the command
 * itself (`find -fprint`, `find -exec`, `fd -x`).
 */
function listUsed(inv: Invocation, name: string): boolean {
  const hands = FINDS.has(name) ? FIND_USES : name === 'fd' || name === 'fdfind' ? FD_USES : null;
  if (inv.pipedOut || (hands && inv.argv.some((w) => hands.test(literal(w) ?? '')))) return true;
  return inv.redirects.some((r) => (r.fd === null || r.fd === 1) && ['>', '>>', '>|', '&>', '&>>'].includes(r.op) && literal(r.target ?? litWord('')) !== '/dev/null');
}

/** Whether it prints what it finds below its roots, not only their own entries (`ls -R`, `du -a`). */
function listsTree(name: string, flags: ScannedOptions): boolean {
  if (name === 'ls' || name === 'dir' || name === 'vdir') return has(flags, 'R') || hasLong(flags, 'recursive', 3);
  if (name === 'du') return has(flags, 'a') || hasLong(flags, 'all', 3);
  return LISTERS.has(name);
}

/** Whether a root to search is named: find's first operand comes before its expression; fd's after its pattern. */
function namesRoot(inv: Invocation, name: string, operands: readonly Word[]): boolean {
  if (!FINDS.has(name)) return operands.length > 0;
  // find's own options come first: -H, -L, -P, -O3, -D debugopts.
  let i = 1;
  while (/^-([HLP]|O\d*|D)$/.test(literal(inv.argv[i] ?? litWord('')) ?? '')) i += literal(inv.argv[i] as Word) === '-D' ? 2 : 1;
  const first = inv.argv[i];
  if (!first) return false;
  const t = literal(first);
  return t === null || !(t.startsWith('-') || t === '(' || t === '!');
}

function redirectUses(inv: Invocation): PathUse[] {
  const uses: PathUse[] = [];
  for (const r of inv.redirects) {
    if (!r.target || r.op === '<<<') continue;
    if ((r.op === '>&' || r.op === '<&') && /^(\d+|-)$/.test(literal(r.target) ?? '')) continue;
    uses.push({ word: r.target, mode: r.op === '<' || r.op === '<&' ? 'read' : 'write' });
  }
  return uses;
}

/** Operand words, plus `--opt=value` values (often files); patterns and programs left out. */
function operandWords(inv: Invocation, name: string): Word[] {
  const pf = PATTERN_FIRST[PATTERN_ALIASES[name] ?? name];
  const skipFirst = pf !== undefined && !has(scanOptions(inv.argv, 1, pf.spec), ...pf.given);
  const out: Word[] = [];
  let optionsDone = false;
  let skipped = false;
  for (let i = 1; i < inv.argv.length; i++) {
    const w = inv.argv[i] as Word;
    const t = literal(w);
    if (!optionsDone && t === '--') {
      optionsDone = true;
      continue;
    }
    if (!optionsDone && (t ?? w.raw).startsWith('-') && (t ?? w.raw).length > 1) {
      const eq = (t ?? '').indexOf('=');
      if (t !== null && eq > 0) out.push({ parts: [{ t: 'lit', s: t.slice(eq + 1), quoted: true }], raw: t.slice(eq + 1), subs: [] });
      // An option's value may name a file (`grep --file F`): checked, but never taken for the pattern.
      if (pf && t !== null && valueTaking(pf.spec, t) && i + 1 < inv.argv.length) out.push(inv.argv[++i] as Word);
      continue;
    }
    if (skipFirst && !skipped) {
      skipped = true;
      continue;
    }
    out.push(w);
  }
  return out;
}

function valueTaking(spec: OptionSpec, t: string): boolean {
  if (t.startsWith('--')) return !t.includes('=') && (spec.long ?? []).includes(t.slice(2));
  return t.length === 2 && (spec.short ?? '').includes(t[1] as string);
}

function modeOf(inv: Invocation, name: string): Mode {
  if (DELETERS.has(name)) return 'delete';
  const flags = scanOptions(inv.argv, 1, {});
  if (name === 'sed' || name === 'perl' || name === 'ruby') return has(flags, 'i', 'in-place') || [...flags.flags].some((f) => f.startsWith('i')) ? 'write' : 'read';
  if (FINDS.has(name) && inv.argv.some((w) => literal(w) === '-delete')) return 'delete';
  // `find / | xargs cat` reads what it finds, as surely as `find / -exec cat {} +`.
  if (listsTree(name, flags) && listUsed(inv, name)) return 'recursive-read';
  if (name === 'tar') return /c|create/.test(inv.argv.slice(1, 2).map((w) => literal(w) ?? '').join('')) || has(flags, 'c', 'create') ? 'recursive-read' : 'write';
  if (READ_ONLY.has(name)) return recursive(inv, name) ? 'recursive-read' : 'read';
  if (name === 'tee' || name === 'touch' || name === 'truncate' || name === 'chmod' || name === 'chown') return 'write';
  return 'write';
}

function recursive(inv: Invocation, name: string): boolean {
  const flags = scanOptions(inv.argv, 1, {});
  switch (name) {
    case 'grep':
    case 'egrep':
    case 'fgrep':
      return has(flags, 'r', 'R') || hasLong(flags, 'recursive', 3) || hasLong(flags, 'dereference-recursive', 3);
    case 'rg':
      return has(flags, 'hidden', 'u', 'no-ignore', '.') || [...flags.flags].some((f) => /^u+$/.test(f));
    case 'ag':
      return has(flags, 'hidden', 'u', 'unrestricted');
    case 'cp':
    case 'scp':
    case 'rsync':
      return has(flags, 'r', 'R', 'a') || hasLong(flags, 'recursive', 3) || hasLong(flags, 'archive', 3);
    case 'zip':
      return has(flags, 'r', 'recurse-paths');
    case 'du':
    case 'ls':
    case 'tree':
      return false;
    default:
      return false;
  }
}

/** git: `-C DIR` is read; operands after a reading subcommand are read, after others written. */
function gitUses(inv: Invocation): PathUse[] {
  const g = gitGlobals(inv.argv);
  const uses: PathUse[] = g.dirs.map((word) => ({ word, mode: 'read' as const }));
  const sub = literal(inv.argv[g.index] ?? { parts: [], raw: '', subs: [] });
  if (sub === null || GIT_NO_PATHS.has(sub)) return uses;
  const mode: Mode = GIT_READS.has(sub) ? 'read' : sub === 'rm' || sub === 'mv' || sub === 'clean' ? 'delete' : 'write';
  let options = true;
  for (const w of inv.argv.slice(g.index + 1)) {
    const t = literal(w);
    if (options && t === '--') {
      options = false;
      continue;
    }
    if (options && t !== null && t.startsWith('-')) continue;
    uses.push({ word: t !== null && t.includes(':') && mode === 'read' ? { ...w, parts: [{ t: 'lit', s: t.slice(t.indexOf(':') + 1), quoted: true }] } : w, mode });
  }
  return uses;
}
