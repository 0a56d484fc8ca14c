import type { Invocation } from '../shell/invocation.js';
import { literal } from '../shell/words.js';
import { hasOption, operandsOf, someOperand, startsWith } from './positionals.js';
import type { CatalogueRule, MatchEnv } from './rule.js';

/**
 * Small combinators the catalogue is written in, so each entry reads as data:
 * `sub('s3', 'rb')`, `all(sub('apply'), option('-destroy'))`.
 */
export type Match = CatalogueRule['match'];

const truthy = (r: string | boolean | null): boolean => r !== null && r !== false;

/** The operands start with these words (a dynamic operand matches anything). */
export const sub = (...words: (string | RegExp)[]): Match => (inv) => startsWith(operandsOf(inv), words);

/** One of the first few literal operands matches. */
export const operand = (e: string | RegExp, within = 8): Match => (inv) => someOperand(operandsOf(inv), e, within);

/** One of these options is present (`-f`, `--force`, `--force=x`). */
export const option = (...names: string[]): Match => (inv) => hasOption(inv, ...names);

export const all = (...ms: Match[]): Match => (inv, env) => {
  let detail: string | boolean = true;
  for (const m of ms) {
    const r = m(inv, env);
    if (!truthy(r)) return null;
    if (typeof r === 'string') detail = r;
  }
  return detail;
};

export const any = (...ms: Match[]): Match => (inv, env) => {
  for (const m of ms) {
    const r = m(inv, env);
    if (truthy(r)) return r;
  }
  return null;
};

export const always: Match = () => true;

/** A literal word anywhere in argv, case-insensitive (for flags that can come anywhere). */
export const word = (w: string): Match => (inv: Invocation, _env: MatchEnv) => inv.argv.slice(1).some((x) => literal(x)?.toLowerCase() === w);
