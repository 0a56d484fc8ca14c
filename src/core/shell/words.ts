import type { Word } from './syntax.js';

/**
 * Reading a parsed word: its literal value when it has one, what it could expand to
 * when it holds parameters the analyser knows, and whether it is a glob pattern.
 */

/** Values the analyser may substitute for `$NAME` (HOME, PWD, script-assigned literals). */
export type Vars = (name: string) => string | undefined;

const NO_VARS: Vars = () => undefined;

/** The marker standing for an unknown expansion inside a value. */
export const HOLE = '\u0000';

/** The word's value when it is fully literal (quotes removed), else null. */
export function literal(word: Word): string | null {
  let out = '';
  for (const p of word.parts) {
    if (p.t !== 'lit') return null;
    out += p.s;
  }
  return out;
}

/** The value with known parameters substituted, or null when any part stays unknown. */
export function resolve(word: Word, vars: Vars = NO_VARS): string | null {
  let out = '';
  for (const p of word.parts) {
    if (p.t === 'lit') out += p.s;
    else if (p.t === 'param') {
      const v = vars(p.name);
      if (v === undefined) return null;
      out += v;
    } else return null;
  }
  return out;
}

/** The value with every unknown expansion replaced by HOLE: for scanning, never for deciding. */
export function approximate(word: Word, vars: Vars = NO_VARS): string {
  let out = '';
  for (const p of word.parts) {
    if (p.t === 'lit') out += p.s;
    else if (p.t === 'param') out += vars(p.name) ?? HOLE;
    else out += HOLE;
  }
  return out;
}

export function isDynamic(word: Word): boolean {
  return word.parts.some((p) => p.t !== 'lit');
}

/** True when the word has unquoted glob or brace characters, so the shell may expand it. */
export function isPattern(word: Word): boolean {
  return word.parts.some((p) => p.t === 'lit' && !p.quoted && (hasGlobChar(p.s) || hasBrace(p.s)));
}

/** `*`, `?`, or a `[` closed later: a lone `[` (the test command) is literal, as in the shell. */
export function hasGlobChar(s: string): boolean {
  if (s.includes('*') || s.includes('?')) return true;
  const open = s.indexOf('[');
  return open !== -1 && s.indexOf(']', open + 2) !== -1;
}

function hasBrace(s: string): boolean {
  const open = s.indexOf('{');
  return open !== -1 && s.indexOf('}', open) !== -1;
}

/**
 * The word as a glob pattern: quoted text is backslash-escaped so only the shell's own
 * glob characters stay special. Null when a part is unknown.
 */
export function pattern(word: Word, vars: Vars = NO_VARS): string | null {
  let out = '';
  for (const p of word.parts) {
    if (p.t === 'lit') out += p.quoted ? escapeGlob(p.s) : p.s;
    else if (p.t === 'param') {
      const v = vars(p.name);
      if (v === undefined) return null;
      out += escapeGlob(v);
    } else return null;
  }
  return out;
}

export function escapeGlob(s: string): string {
  let out = '';
  for (const c of s) out += '*?[]{}\\,'.includes(c) ? `\\${c}` : c;
  return out;
}

/** Remove glob escapes: the literal a pattern without wildcards stands for. */
export function unescapeGlob(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) i++;
    out += s[i];
  }
  return out;
}

/** An unquoted leading `~` or `~/`: tilde expansion to the home directory. `~user` is not modelled. */
export function tilde(word: Word): 'home' | 'other' | null {
  const first = word.parts[0];
  if (!first || first.t !== 'lit' || first.quoted || !first.s.startsWith('~')) return null;
  const rest = first.s.slice(1);
  return rest === '' || rest.startsWith('/') ? 'home' : 'other';
}
