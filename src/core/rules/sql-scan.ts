import { HOLE } from '../shell/words.js';

/**
 * A linear scan of SQL text for statements that destroy data: DROP, TRUNCATE, DELETE
 * without WHERE, ALTER ... DROP. Strings, quoted identifiers, dollar quotes and
 * comments are skipped, so `SELECT 'drop table'` is not a drop. Client meta-commands
 * that include files (`\i f`, `source f`, `.read f`) are reported so the caller can
 * follow them; shell escapes (`\!`, `.shell`, `system`) make the input unknown.
 */
export type SqlHazard = 'drop' | 'truncate' | 'delete-without-where' | 'alter-drop' | 'unknown';

export interface SqlScan {
  readonly hazards: readonly { readonly hazard: SqlHazard; readonly statement: string }[];
  readonly includes: readonly string[];
}

/** ALTER ... DROP of these is a change of a property, not of data. */
const HARMLESS_ALTER_DROPS = new Set(['DEFAULT', 'NOT', 'IDENTITY', 'EXPRESSION']);

export function scanSql(text: string): SqlScan {
  const hazards: { hazard: SqlHazard; statement: string }[] = [];
  const includes: string[] = [];
  let words: string[] = [];
  let start = 0;
  let depth = 0;
  let i = 0;
  const end = () => {
    const hazard = classify(words);
    if (hazard) hazards.push({ hazard, statement: snippet(text.slice(start, i)) });
    words = [];
    depth = 0;
    start = i + 1;
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (words.length === 0 && (c === '\\' || c === '.') && atLineStart(text, i)) {
      const lineEnd = indexOrEnd(text, '\n', i);
      meta(text.slice(i, lineEnd).trim(), includes, hazards);
      i = lineEnd;
      start = i;
      continue;
    }
    if (c === '-' && text[i + 1] === '-') i = indexOrEnd(text, '\n', i);
    else if (c === '/' && text[i + 1] === '*') i = indexOrEnd(text, '*/', i + 2) + 2;
    else if (c === "'") i = skipString(text, i);
    else if (c === '"' || c === '`') i = indexOrEnd(text, c, i + 1) + 1;
    else if (c === '$' && dollarTag(text, i) !== null) {
      const tag = dollarTag(text, i) as string;
      i = indexOrEnd(text, tag, i + tag.length) + tag.length;
    } else if (c === '(') {
      depth++;
      i++;
    } else if (c === ')') {
      depth = Math.max(0, depth - 1);
      i++;
    } else if (c === ';') {
      end();
      i++;
    } else if (/[A-Za-z_]/.test(c) || c === HOLE) {
      let j = i + 1;
      if (c !== HOLE) while (j < text.length && /[A-Za-z0-9_$]/.test(text[j] as string)) j++;
      if (depth === 0) words.push(text.slice(i, j).toUpperCase());
      if (words.length === 1 && words[0] === 'SOURCE') {
        const lineEnd = indexOrEnd(text, '\n', j);
        includes.push(text.slice(j, lineEnd).trim().replace(/;$/, ''));
        words = [];
        i = lineEnd;
        start = i;
        continue;
      }
      if (words.length === 1 && words[0] === 'SYSTEM') hazards.push({ hazard: 'unknown', statement: 'system (a shell command)' });
      i = j;
    } else i++;
  }
  end();
  return { hazards, includes };
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

function meta(line: string, includes: string[], hazards: { hazard: SqlHazard; statement: string }[]): void {
  const m = /^(\\ir?|\\include(?:_relative)?|\\\.|\.read)\s+(\S+)/.exec(line);
  if (m) includes.push((m[2] as string).replace(/^['"]|['"]$/g, ''));
  else if (/^(\\!|\.shell|\.system)/.test(line)) hazards.push({ hazard: 'unknown', statement: `${line.slice(0, 40)} (a shell command)` });
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
  return text.length;
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
