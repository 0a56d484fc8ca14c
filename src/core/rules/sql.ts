import type { Invocation } from '../shell/invocation.js';
import { type ScannedOptions, litWord, scanAll, scanOptions } from '../shell/options.js';
import type { Word } from '../shell/syntax.js';
import { literal, resolve } from '../shell/words.js';
import { wordPath } from '../shell/paths.js';
import { COMMAND_OPTIONS } from './command-options.js';
import type { MatchEnv } from './rule.js';
import { DIALECTS, type SqlHazard, scanSql } from './sql-scan.js';
import { type TextSource, fromFile, fromStdin, fromWord } from './text-input.js';

/**
 * Which SQL a database client would run, and whether it destroys data. Each client has
 * its own way of taking SQL: options (`psql -c`, `mysql -e`), files (`psql -f`),
 * operands (`sqlite3 db "SQL"`) or stdin (heredocs, `< file`, pipes).
 */
export interface SqlVerdict {
  readonly hazard: SqlHazard;
  readonly detail: string;
}

export function sqlVerdicts(inv: Invocation, env: MatchEnv): SqlVerdict[] {
  const verdicts: SqlVerdict[] = [];
  for (const source of sourcesOf(inv, env)) {
    if (source.kind === 'unknown') verdicts.push({ hazard: 'unknown', detail: source.why });
    else scanInto(source.text, source.from, inv, env, verdicts, 0);
  }
  return verdicts;
}

const MAX_INCLUDE_DEPTH = 3;

function scanInto(text: string, from: string, inv: Invocation, env: MatchEnv, out: SqlVerdict[], depth: number): void {
  const scan = scanSql(text, DIALECTS[inv.name ?? ''] ?? DIALECTS.psql);
  for (const h of scan.hazards) out.push({ hazard: h.hazard, detail: from === 'the command line' || from === 'stdin' ? h.statement : `${h.statement} (in ${from})` });
  for (const inc of scan.includes) {
    if (depth >= MAX_INCLUDE_DEPTH) {
      out.push({ hazard: 'unknown', detail: `it includes ${inc} too deep to follow` });
      continue;
    }
    const word: Word = { parts: [{ t: 'lit', s: inc, quoted: true }], raw: inc, subs: [] };
    const ref = wordPath(word, inv.cwd, inv.vars, env.home);
    const src = ref.kind === 'path' ? fromFile(word, inv, env) : { kind: 'unknown' as const, why: `it includes ${inc}` };
    if (src?.kind === 'unknown') out.push({ hazard: 'unknown', detail: src.why });
    else if (src) scanInto(src.text, src.from, inv, env, out, depth + 1);
  }
}

function sourcesOf(inv: Invocation, env: MatchEnv): TextSource[] {
  const name = inv.name ?? '';
  const opts = (spec = COMMAND_OPTIONS[name] ?? {}) => scanAll(inv.argv, 1, spec);
  switch (name) {
    case 'psql': {
      const scan = opts();
      return [...fromOptions(inv, env, scan, ['c', 'command'], ['f', 'file']), ...psqlStartupFiles(inv, env, scan)];
    }
    case 'mysql':
    case 'mariadb':
      return fromOptions(inv, env, opts(COMMAND_OPTIONS.mysql), ['e', 'execute'], []);
    case 'sqlcmd':
      return fromOptions(inv, env, opts({ short: 'QqiSUPdo' }), ['Q', 'q'], ['i']);
    case 'clickhouse-client':
    case 'clickhouse':
      return fromOptions(inv, env, opts({ short: 'qhu', long: ['query', 'queries-file', 'host', 'user', 'password', 'database'] }), ['q', 'query'], ['queries-file']);
    case 'cockroach': {
      if (literal(inv.argv[1] ?? emptyWord) !== 'sql') return [];
      return fromOptions(inv, env, scanAll(inv.argv, 2, { short: 'ef', long: ['execute', 'file', 'url', 'host', 'database', 'user'] }), ['e', 'execute'], ['f', 'file']);
    }
    default:
      return sqliteLike(inv, env);
  }
}

/**
 * psql runs its startup files as input before anything else, unless -X: `$PSQLRC` (else
 * `~/.psqlrc`) and `$PGSYSCONFDIR/psqlrc` when that is set, each also in versioned form
 * (`~/.psqlrc-16`, `~/.psqlrc-16.2`), which psql prefers: every one that exists is read.
 * The compiled-in system directory (/etc/postgresql-common, ...) is not.
 */
function psqlStartupFiles(inv: Invocation, env: MatchEnv, scan: ScannedOptions): TextSource[] {
  // On another machine (`ssh host psql`) its startup files are that machine's: not read.
  if (inv.remote || scan.flags.has('X') || scan.flags.has('no-psqlrc')) return [];
  const rc = setting(inv, 'PSQLRC');
  const sys = setting(inv, 'PGSYSCONFDIR');
  const out: TextSource[] = [];
  for (const [name, value, path] of [['PSQLRC', rc, rc ?? '~/.psqlrc'], ['PGSYSCONFDIR', sys, `${sys}/psqlrc`]] as const) {
    if (value === null) out.push({ kind: 'unknown', why: `psql reads the startup file named by ${name}, which is only known when it runs` });
    else if (value !== undefined || name === 'PSQLRC') out.push(...versioned(path, inv, env));
  }
  return out;
}

/** A variable set for this command (inline, `env`, exported earlier); null when only known at run time. */
function setting(inv: Invocation, name: string): string | null | undefined {
  const e = inv.env.findLast((x) => x.name === name);
  if (e) return e.value === null ? undefined : resolve(e.value, inv.vars);
  return inv.vars(name);
}

function versioned(path: string, inv: Invocation, env: MatchEnv): TextSource[] {
  const full = path.startsWith('~/') ? `${env.home}${path.slice(1)}` : path;
  const slash = full.lastIndexOf('/');
  const [dir, base] = slash === -1 ? ['.', full] : [full.slice(0, slash) || '/', full.slice(slash + 1)];
  const dirAbs = dir.startsWith('/') ? dir : `${inv.cwd ?? '.'}/${dir}`;
  const names = [base, ...(env.readDir(dirAbs) ?? []).filter((n) => n.startsWith(`${base}-`))];
  const out: TextSource[] = [];
  for (const n of names) {
    const src = fromFile(litWord(`${dirAbs}/${n}`), inv, env);
    if (src) out.push(src);
  }
  return out;
}

const emptyWord: Word = { parts: [], raw: '', subs: [] };

/** SQL from code options and file options; stdin only when neither is given. */
function fromOptions(inv: Invocation, env: MatchEnv, scan: ScannedOptions, code: string[], files: string[]): TextSource[] {
  const out: TextSource[] = [];
  for (const c of code) for (const w of scan.values.get(c) ?? []) out.push(fromWord(w, inv));
  let readsStdin = out.length === 0;
  for (const f of files) {
    for (const w of scan.values.get(f) ?? []) {
      if (literal(w) === '-') readsStdin = true;
      else {
        const src = fromFile(w, inv, env);
        if (src) out.push(src);
      }
      if (literal(w) !== '-') readsStdin = false;
    }
  }
  if (readsStdin) {
    const src = fromStdin(inv.stdin, inv, env);
    if (src) out.push(src);
  }
  return out;
}

/** `sqlite3 [opts] DB [SQL...]`, `duckdb [opts] DB [SQL]`: single-dash long options. */
function sqliteLike(inv: Invocation, env: MatchEnv): TextSource[] {
  const scan = scanOptions(inv.argv, 1, { singleDashLong: true, short: 'c', long: ['cmd', 'init', 'separator', 'newline', 'nullvalue', 'vfs', 'maxsize', 'mmap', 'lookaside', 'pagecache', 'heap'] });
  const out: TextSource[] = [];
  for (const w of [...(scan.values.get('cmd') ?? []), ...(scan.values.get('c') ?? [])]) out.push(fromWord(w, inv));
  for (const w of scan.values.get('init') ?? []) {
    const src = fromFile(w, inv, env);
    if (src) out.push(src);
  }
  const sql = inv.argv.slice(scan.index + 1);
  for (const w of sql) out.push(fromWord(w, inv));
  if (sql.length === 0) {
    const src = fromStdin(inv.stdin, inv, env);
    if (src) out.push(src);
  }
  return out;
}
