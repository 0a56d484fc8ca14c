import { HOLE } from '../shell/words.js';

/**
 * A linear scan of SQL text for statements that destroy data: DROP, TRUNCATE, DELETE
 * without WHERE, ALTER ... DROP. Strings, quoted identifiers, dollar quotes and
 * comments are skipped, so `SELECT 'drop table'` is not a drop. Client meta-commands
 * that include files (`\i f`, `source f`, `.read f`) are reported so the caller can
 * follow them. Meta-commands and SQL that run shell commands (`\!`, `\o |cmd`,
 * `\copy ... program`, `COPY ... PROGRAM`, `.shell`, `.output |cmd`, `system`) and
 * psql's `\gexec`, which runs a query's results as SQL, make the input unknown: the
 * command is not followed, the whole input is gated.
 *
 * Code that runs SQL held in strings is read too: the bodies of `DO`, `CREATE
 * FUNCTION | PROCEDURE | TRIGGER | EVENT | RULE`, the text of `PREPARE ... FROM` and of
 * `EXECUTE` / `EXEC` are scanned as code, where a destructive statement counts wherever
 * it stands (`BEGIN DROP TABLE t; END`). SQL built at run time (`PREPARE s FROM @q`,
 * PL/pgSQL `EXECUTE v_sql`, `EXECUTE 'DR' || 'OP ...'`) is unknown input.
 */
export type SqlHazard = 'drop' | 'truncate' | 'delete-without-where' | 'alter-drop' | 'unknown';

export interface SqlScan {
  readonly hazards: readonly { readonly hazard: SqlHazard; readonly statement: string }[];
  readonly includes: readonly string[];
}

export interface SqlDialect {
  /** `$$...$$` and `$tag$...$tag$` are strings (PostgreSQL, CockroachDB, DuckDB, ClickHouse); elsewhere `$` is an ordinary character. */
  readonly dollarQuotes: boolean;
  /** PL/pgSQL: in code, `EXECUTE name` runs the SQL in a variable (in MySQL it runs a prepared statement). */
  readonly plpgsql: boolean;
  /**
   * Backslash meta-commands anywhere on a line, not only at its start: psql's end at the
   * line's end or at `\\` (SQL may follow), mysql's at the line's end or at `;`.
   */
  readonly inlineMeta?: 'psql' | 'mysql';
}

const POSTGRES: SqlDialect = { dollarQuotes: true, plpgsql: true };
const PLAIN: SqlDialect = { dollarQuotes: false, plpgsql: false };
const MYSQL: SqlDialect = { dollarQuotes: false, plpgsql: false, inlineMeta: 'mysql' };

/** Per client; a client not listed reads SQL like PostgreSQL. */
export const DIALECTS: Readonly<Record<string, SqlDialect>> = {
  psql: { ...POSTGRES, inlineMeta: 'psql' },
  cockroach: POSTGRES,
  duckdb: { dollarQuotes: true, plpgsql: false },
  clickhouse: { dollarQuotes: true, plpgsql: false },
  'clickhouse-client': { dollarQuotes: true, plpgsql: false },
  mysql: MYSQL,
  mariadb: MYSQL,
  sqlite3: PLAIN,
  sqlite: PLAIN,
  sqlcmd: PLAIN,
};

/** ALTER ... DROP of these is a change of a property, not of data. */
const HARMLESS_ALTER_DROPS = new Set(['DEFAULT', 'NOT', 'IDENTITY', 'EXPRESSION']);
/** Strings inside strings inside strings: deeper than this is unknown. */
const MAX_NESTING = 4;

type Token = { readonly k: 'w' | 's' | 'o'; readonly s: string; readonly d: number };
type Hazard = { hazard: SqlHazard; statement: string };

export function scanSql(text: string, dialect: SqlDialect = DIALECTS.psql as SqlDialect): SqlScan {
  const hazards: Hazard[] = [];
  const includes: string[] = [];
  scan(text, dialect, { code: false, nesting: 0, hazards, includes });
  return { hazards, includes };
}

interface Run {
  readonly code: boolean;
  readonly nesting: number;
  readonly hazards: Hazard[];
  /** Null inside strings: file includes are client meta-commands, never inside SQL text. */
  readonly includes: string[] | null;
  /** The outermost statement, shown for a hazard found in a string inside it. */
  readonly outer?: string;
}

function scan(text: string, dialect: SqlDialect, run: Run): void {
  let tokens: Token[] = [];
  let start = 0;
  let depth = 0;
  let i = 0;
  const words = () => tokens.filter((t) => t.k === 'w' && t.d === 0).map((t) => t.s);
  const end = () => {
    statement(tokens, snippet(text.slice(start, i)), dialect, run);
    tokens = [];
    depth = 0;
    start = i + 1;
  };
  while (i < text.length) {
    const c = text[i] as string;
    const lineMeta = tokens.length === 0 && (c === '\\' || c === '.') && atLineStart(text, i);
    if (run.includes && (lineMeta || (c === '\\' && dialect.inlineMeta))) {
      // A meta-command sends (psql `\g`) or ends what came before it on the line.
      if (tokens.length > 0) statement(tokens, snippet(text.slice(start, i)), dialect, run);
      tokens = [];
      depth = 0;
      const stop = metaEnd(text, i, dialect);
      meta(text.slice(i, stop.at).trim(), c, dialect, run.includes, run.hazards);
      i = stop.next;
      start = i;
      continue;
    }
    if (c === '-' && text[i + 1] === '-') i = indexOrEnd(text, '\n', i);
    else if (c === '/' && text[i + 1] === '*') i = indexOrEnd(text, '*/', i + 2) + 2;
    else if (c === "'") {
      const j = skipString(text, i);
      tokens.push({ k: 's', s: unescape(text.slice(i + 1, j - 1)), d: depth });
      i = j;
    } else if (c === '"' || c === '`') {
      // An identifier in standard SQL, a string in MySQL: kept as a string for code to read.
      const j = indexOrEnd(text, c, i + 1);
      tokens.push({ k: 's', s: text.slice(i + 1, j), d: depth });
      i = j + 1;
    } else if (c === '$' && dialect.dollarQuotes && dollarTag(text, i) !== null) {
      const tag = dollarTag(text, i) as string;
      const close = indexOrEnd(text, tag, i + tag.length);
      tokens.push({ k: 's', s: text.slice(i + tag.length, close), d: depth });
      i = close + tag.length;
    } else if (c === '(' || c === ')') {
      if (c === ')') depth = Math.max(0, depth - 1);
      tokens.push({ k: 'o', s: c, d: depth });
      if (c === '(') depth++;
      i++;
    } else if (c === ';') {
      end();
      i++;
    } else if (/[A-Za-z_]/.test(c) || c === HOLE) {
      let j = i + 1;
      if (c !== HOLE) while (j < text.length && /[A-Za-z0-9_$]/.test(text[j] as string)) j++;
      tokens.push({ k: 'w', s: text.slice(i, j).toUpperCase(), d: depth });
      const w = words();
      if (run.includes && w.length === 1 && (w[0] === 'SOURCE' || w[0] === 'DELIMITER')) {
        // `SOURCE f` includes a file; `DELIMITER //` changes the terminator (the line is not SQL).
        const lineEnd = indexOrEnd(text, '\n', j);
        if (w[0] === 'SOURCE') run.includes.push(text.slice(j, lineEnd).trim().replace(/;$/, ''));
        tokens = [];
        i = lineEnd;
        start = i;
        continue;
      }
      if (w.length === 1 && w[0] === 'SYSTEM' && tokens.length === 1) run.hazards.push({ hazard: 'unknown', statement: 'system (a shell command)' });
      i = j;
    } else {
      if (!/\s/.test(c)) tokens.push({ k: 'o', s: c, d: depth });
      i++;
    }
  }
  end();
}

/** One statement: its own verdict, then any SQL it runs from strings. */
function statement(tokens: readonly Token[], shown: string, dialect: SqlDialect, run: Run): void {
  const words = tokens.filter((t) => t.k === 'w' && t.d === 0).map((t) => t.s);
  const report = (hazard: SqlHazard) => run.hazards.push({ hazard, statement: run.outer ?? shown });
  // A routine's body is code, written inline (`BEGIN DROP TABLE t; END`) or as a string.
  const hazard = run.code || isRoutine(words) ? anywhere(words) : classify(words);
  if (hazard) report(hazard);
  const inner = (body: string) => {
    if (run.nesting + 1 >= MAX_NESTING) report('unknown');
    else scan(body, dialect, { code: true, nesting: run.nesting + 1, hazards: run.hazards, includes: null, outer: run.outer ?? shown });
  };
  // `COPY t TO PROGRAM 'cmd'`, `COPY t FROM PROGRAM 'cmd'`: the server runs a shell command.
  const copy = words.indexOf('COPY');
  if (copy !== -1 && (copy === 0 || run.code) && words.indexOf('PROGRAM', copy) !== -1) run.hazards.push({ hazard: 'unknown', statement: `${run.outer ?? shown} (COPY ... PROGRAM runs a shell command)` });
  const strings = tokens.filter((t) => t.k === 's').map((t) => t.s);
  const head = words[0];
  if (head === 'DO' || isRoutine(words)) {
    strings.forEach(inner);
    return;
  }
  if (head === 'PREPARE') {
    const as = words.indexOf('AS');
    if (as !== -1) {
      const h = (run.code ? anywhere : classify)(words.slice(as + 1));
      if (h) report(h);
      return;
    }
    const from = tokens.findIndex((t) => t.k === 'w' && t.d === 0 && t.s === 'FROM');
    const text = tokens[from + 1];
    if (from !== -1 && text?.k === 's') inner(text.s);
    else if (from !== -1) report('unknown');
    return;
  }
  const exec = tokens.findIndex((t) => t.k === 'w' && (t.s === 'EXECUTE' || t.s === 'EXEC'));
  if (exec !== -1) executed(tokens.slice(exec + 1), dialect, run, inner, report);
}

/**
 * `EXECUTE 'SQL'`, `EXEC('SQL')`, `EXECUTE IMMEDIATE 'SQL'`, `EXEC sp_executesql N'SQL'`:
 * the strings are scanned. When the argument is not one string (a variable, a
 * concatenation, `format(...)`), the SQL is only known at run time. A plain name runs a
 * prepared statement or a procedure (MySQL, T-SQL), except in PL/pgSQL code, where it is
 * a variable holding SQL.
 */
function executed(args: readonly Token[], dialect: SqlDialect, run: Run, inner: (s: string) => void, report: (h: SqlHazard) => void): void {
  const stop = args.findIndex((t) => t.k === 'w' && t.d === 0 && (t.s === 'INTO' || t.s === 'USING'));
  let arg = (stop === -1 ? args : args.slice(0, stop)).filter((t) => !(t.k === 'o' && (t.s === '(' || t.s === ')')));
  const first = arg[0];
  if (first?.k === 'w' && (first.s === 'IMMEDIATE' || first.s === 'SP_EXECUTESQL')) arg = arg.slice(1);
  else if (first?.k === 'w' && !(run.code && dialect.plpgsql) && !(args[0]?.k === 'o')) return;
  arg = arg.filter((t, n) => !(t.k === 'w' && t.s === 'N' && arg[n + 1]?.k === 's'));
  const strings = arg.filter((t) => t.k === 's');
  strings.forEach((t) => inner(t.s));
  if (arg.length !== 1 || strings.length !== 1) report('unknown');
}

/** CREATE [OR REPLACE | OR ALTER] [DEFINER = x] [TEMP] FUNCTION | PROCEDURE | TRIGGER | EVENT | RULE: code that runs later. */
function isRoutine(words: readonly string[]): boolean {
  if (words[0] !== 'CREATE') return false;
  return words.slice(1, 8).some((w) => ['FUNCTION', 'PROCEDURE', 'PROC', 'TRIGGER', 'EVENT', 'RULE'].includes(w));
}

function classify(words: readonly string[]): SqlHazard | null {
  let w = words;
  while (w[0] === 'EXPLAIN' || w[0] === 'ANALYZE' || w[0] === 'VERBOSE') w = w.slice(1);
  if (w[0] === 'WITH') {
    const k = w.findIndex((x, n) => n > 0 && ['DELETE', 'UPDATE', 'INSERT', 'SELECT', 'MERGE', 'DROP', 'TRUNCATE'].includes(x));
    if (k === -1) return null;
    w = w.slice(k);
  }
  const first = w[0];
  if (first === undefined) return null;
  if (first === HOLE) return 'unknown';
  if (first === 'DROP') return 'drop';
  if (first === 'TRUNCATE') return 'truncate';
  if (first === 'DELETE') return w.includes('WHERE') ? null : 'delete-without-where';
  if (first === 'ALTER') {
    for (let k = 1; k < w.length; k++) if (w[k] === 'DROP' && !HARMLESS_ALTER_DROPS.has(w[k + 1] ?? '')) return 'alter-drop';
  }
  return null;
}

/** Words that name an event or a privilege, not a statement: `AFTER DELETE ON t`, `GRANT DELETE ON`, `ON COMMIT DROP`. */
const NOT_A_STATEMENT_BEFORE = new Set(['ON', 'BEFORE', 'AFTER', 'OR', 'FOR', 'OF', 'GRANT', 'REVOKE', 'COMMIT', 'INSTEAD']);

/** In code (a procedure body, a DO block), a statement may follow BEGIN, THEN, LOOP...: look everywhere. */
function anywhere(words: readonly string[]): SqlHazard | null {
  for (let k = 0; k < words.length; k++) {
    const w = words[k] as string;
    if (!['DROP', 'TRUNCATE', 'DELETE', 'ALTER'].includes(w) && w !== HOLE) continue;
    if (k > 0 && NOT_A_STATEMENT_BEFORE.has(words[k - 1] as string)) continue;
    if (words[k + 1] === 'ON' || words[k + 1] === 'OR') continue;
    const h = classify(words.slice(k));
    if (h) return h;
  }
  return null;
}

/** Where a meta-command's text ends (`at`) and scanning resumes (`next`). */
function metaEnd(text: string, i: number, dialect: SqlDialect): { at: number; next: number } {
  const line = indexOrEnd(text, '\n', i);
  const sep = dialect.inlineMeta === 'psql' ? '\\\\' : dialect.inlineMeta === 'mysql' && text[i] === '\\' ? ';' : null;
  if (sep === null) return { at: line, next: line };
  const k = text.indexOf(sep, i + 1);
  return k === -1 || k > line ? { at: line, next: line } : { at: k, next: k + sep.length };
}

/**
 * Meta-commands that run a shell command: psql `\!`, output piped to a command (`\o
 * |cmd`, `\g |cmd`, `\w |cmd`), `\copy ... program`, an editor (`\e`), and a backquoted
 * command in any argument; sqlite's and duckdb's `.shell`, `.system`, and `.output`,
 * `.once`, `.read`, `.import` of `|cmd`. Several psql meta-commands may share a line.
 */
const PSQL_SHELL = /\\!|\\(o|out|gx?|w|write)\s*['"]?\||\\copy\b[^]*\bprogram\b|\\(e|edit|ef|ev)(\s|$)/i;
const DOT_SHELL = /^\.(shell|system)\b|^\.(output|once|read|import)\s+['"]?\|/;

function meta(line: string, lead: string, dialect: SqlDialect, includes: string[], hazards: Hazard[]): void {
  const shell = lead === '.' ? DOT_SHELL.test(line) : PSQL_SHELL.test(line) || (dialect.inlineMeta === 'psql' && line.includes('`'));
  if (shell) return void hazards.push({ hazard: 'unknown', statement: `${line.slice(0, 40)} (a shell command)` });
  if (lead === '\\' && /\\gexec\b/.test(line)) return void hazards.push({ hazard: 'unknown', statement: `${line.slice(0, 40)} (\\gexec runs the query's results as SQL)` });
  const m = /^(\\ir?|\\include(?:_relative)?|\\\.|\.read)\s+(\S+)/.exec(line);
  if (m) includes.push((m[2] as string).replace(/^['"]|['"]$/g, ''));
}

function atLineStart(text: string, i: number): boolean {
  let k = i - 1;
  while (k >= 0 && (text[k] === ' ' || text[k] === '\t')) k--;
  return k < 0 || text[k] === '\n';
}

function indexOrEnd(text: string, needle: string, from: number): number {
  const k = text.indexOf(needle, from);
  return k === -1 ? text.length : k;
}

/** A single-quoted string with both SQL ('') and backslash escapes (MySQL). */
function skipString(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length) {
    const c = text[j];
    if (c === '\\') j += 2;
    else if (c === "'") {
      if (text[j + 1] === "'") j += 2;
      else return j + 1;
    } else j++;
  }
  return text.length + 1;
}

/** The text a string literal stands for: `''` and `\'` are a quote, `\\` a backslash. */
function unescape(body: string): string {
  return body.replace(/''|\\(.)/g, (m, c: string | undefined) => (m === "''" ? "'" : (c ?? '')));
}

/** `$tag$` or `$$` opening a PostgreSQL dollar-quoted string, else null. */
function dollarTag(text: string, i: number): string | null {
  let j = i + 1;
  while (j < text.length && /[A-Za-z0-9_]/.test(text[j] as string)) j++;
  if (text[j] !== '$') return null;
  if (j > i + 1 && /[0-9]/.test(text[i + 1] as string)) return null;
  return text.slice(i, j + 1);
}

function snippet(s: string): string {
  const flat = s.replace(/--[^\n]*/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}
