import { isAbsolute, posix } from 'node:path';
import { expandBraces } from './brace.js';
import type { Word } from './syntax.js';
import { type Vars, approximate, escapeGlob, isPattern, pattern, resolve, tilde, unescapeGlob } from './words.js';
import { hasWildcard } from './glob.js';

/**
 * A word used as a file name, resolved to absolute paths when the analyser can:
 * tilde, known parameters, the working directory, braces and globs.
 */
export type PathRef =
  | { readonly kind: 'path'; readonly path: string }
  /** Absolute glob patterns (escaped), one per brace alternative. */
  | { readonly kind: 'patterns'; readonly patterns: readonly string[] }
  /** Not resolvable: a variable, a substitution, an unknown directory. `hint` is the text with holes. */
  | { readonly kind: 'unknown'; readonly hint: string };

export function wordPath(word: Word, cwd: string | null, vars: Vars, home: string): PathRef {
  return pathOf(word, cwd, vars, home, true);
}

/**
 * The same, but as the kernel will walk it: not normalised, so `link/..` and a trailing
 * `/` (which makes a final symlink count as its target) are kept for the caller to
 * resolve against the file system.
 */
export function physicalPath(word: Word, cwd: string | null, vars: Vars, home: string): PathRef {
  return pathOf(word, cwd, vars, home, false);
}

function pathOf(word: Word, cwd: string | null, vars: Vars, home: string, normal: boolean): PathRef {
  const t = tilde(word);
  if (t === 'other') return { kind: 'unknown', hint: approximate(word, vars) };
  if (isPattern(word)) return patternPath(word, cwd, vars, home, t === 'home', normal);
  const value = resolve(word, vars);
  if (value === null || value === '') return { kind: 'unknown', hint: approximate(word, vars) };
  const path = absolute(t === 'home' ? home + value.slice(1) : value, cwd, normal);
  return path === null ? { kind: 'unknown', hint: value } : { kind: 'path', path };
}

function patternPath(word: Word, cwd: string | null, vars: Vars, home: string, fromHome: boolean, normal: boolean): PathRef {
  const raw = pattern(word, vars);
  const expanded = raw === null ? null : expandBraces(raw);
  if (expanded === null) return { kind: 'unknown', hint: approximate(word, vars) };
  const patterns: string[] = [];
  for (let p of expanded) {
    if (fromHome) p = escapeGlob(home) + p.slice(1);
    const abs = absolute(p, cwd === null ? null : escapeGlob(cwd), normal);
    if (abs === null) return { kind: 'unknown', hint: approximate(word, vars) };
    patterns.push(abs);
  }
  if (patterns.length === 1 && !hasWildcard(patterns[0] as string)) return { kind: 'path', path: unescapeGlob(patterns[0] as string) };
  return { kind: 'patterns', patterns };
}

function absolute(p: string, cwd: string | null, normal = true): string | null {
  if (!isAbsolute(p) && cwd === null) return null;
  const joined = isAbsolute(p) ? p : `${cwd}/${p}`;
  return normal ? posix.normalize(joined).replace(/(.)\/+$/, '$1') : joined;
}

/** Resolve a directory argument (`cd DIR`, `git -C DIR`) against a directory that may be unknown. */
export function dirPath(word: Word, cwd: string | null, vars: Vars, home: string): string | null {
  const ref = wordPath(word, cwd, vars, home);
  return ref.kind === 'path' ? ref.path : null;
}
