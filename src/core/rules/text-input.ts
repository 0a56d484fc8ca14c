import type { Input, Invocation } from '../shell/invocation.js';
import { wordPath } from '../shell/paths.js';
import type { Word } from '../shell/syntax.js';
import { HOLE, approximate } from '../shell/words.js';
import type { MatchEnv } from './rule.js';

/**
 * Text a client will execute (SQL, redis commands, mongo scripts), from an option
 * value, a file or stdin. When the text cannot be known it says why, so the rule can
 * gate it: an unreadable `psql < drop.sql` is treated as possibly destructive.
 */
export type TextSource =
  | { readonly kind: 'text'; readonly text: string; readonly from: string }
  | { readonly kind: 'unknown'; readonly why: string };

/** A word given as code (`psql -c "..."`): unknown only when it is nothing but expansions. */
export function fromWord(word: Word, inv: Invocation): TextSource {
  const text = approximate(word, inv.vars);
  if (text.split(HOLE).join('').trim() === '') return { kind: 'unknown', why: 'the statement is only known when it runs' };
  return { kind: 'text', text, from: 'the command line' };
}

/** A file the client reads. A missing file runs nothing, so it yields no source. */
export function fromFile(word: Word, inv: Invocation, env: MatchEnv): TextSource | null {
  if (inv.remote) return { kind: 'unknown', why: `it reads ${word.raw} on another machine` };
  const ref = wordPath(word, inv.cwd, inv.vars, env.home);
  if (ref.kind !== 'path') return { kind: 'unknown', why: `the file ${word.raw} is only known when it runs` };
  if (inv.writtenEarlier.has(ref.path)) return { kind: 'unknown', why: `${ref.path} is written earlier in the same command` };
  const read = env.readFile(ref.path);
  if (read.kind === 'missing') return null;
  if (read.kind === 'unreadable') return { kind: 'unknown', why: `${ref.path} cannot be checked: ${read.why}` };
  return { kind: 'text', text: read.text, from: ref.path };
}

/** What the client reads on stdin; null when nothing is piped in (interactive). */
export function fromStdin(input: Input, inv: Invocation, env: MatchEnv): TextSource | null {
  switch (input.kind) {
    case 'none':
      return null;
    case 'text':
      return { kind: 'text', text: input.text, from: 'stdin' };
    case 'file':
      return fromFile(input.word, inv, env);
    case 'stream':
      return { kind: 'unknown', why: `it reads input piped from \`${input.from.length > 60 ? `${input.from.slice(0, 59)}…` : input.from}\`` };
  }
}
