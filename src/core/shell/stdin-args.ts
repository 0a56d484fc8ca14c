import type { Part, Word } from './syntax.js';
import { HOLE } from './words.js';
import { FROM_STDIN } from './wrappers.js';

/**
 * The arguments xargs (or parallel) would read from a known input, put where the
 * wrapper left unknown words: appended as the blank-separated items of the input, or,
 * with `-I`, one command per line in place of the replace string. Quotes in the input
 * are dropped rather than parsed: the result is only ever checked in addition to the
 * command with unknown arguments, so an approximation can add findings, never hide one.
 */
const MAX_ITEMS = 256;
const MAX_LINES = 16;

export function withStdinArgs(argv: readonly Word[], text: string): Word[][] {
  const last = argv[argv.length - 1];
  const appended = last !== undefined && last.parts.length === 1 && isFromStdin(last.parts[0] as Part);
  if (appended) {
    const items = text.replace(/['"\\]/g, '').split(/\s+/).filter(Boolean).slice(0, MAX_ITEMS);
    return items.length === 0 ? [] : [[...argv.slice(0, -1), ...items.map(wordOf)]];
  }
  if (!argv.some((w) => w.parts.some(isFromStdin))) return [];
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, MAX_LINES);
  return lines.map((line) => argv.map((w) => (w.parts.some(isFromStdin) ? fill(w, line) : w)));
}

function isFromStdin(p: Part): boolean {
  return p.t === 'dyn' && p.what === FROM_STDIN;
}

/** Known text, its unknown stretches (HOLE) kept unknown; unquoted, so `~` and globs count (more findings, never fewer). */
function wordOf(text: string): Word {
  const parts = text.split(HOLE).flatMap((s, k): Part[] => [...(k > 0 ? [{ t: 'dyn' as const, what: 'part of the input' }] : []), ...(s ? [{ t: 'lit' as const, s, quoted: false }] : [])]);
  return { parts, raw: text.split(HOLE).join('*'), subs: [] };
}

function fill(w: Word, line: string): Word {
  const parts = w.parts.flatMap((p) => (isFromStdin(p) ? wordOf(line).parts : [p]));
  return { ...w, parts, raw: parts.map((p) => (p.t === 'lit' ? p.s : '*')).join('') };
}
