import type { Invocation } from '../shell/invocation.js';
import type { OptionSpec } from '../shell/options.js';
import type { Word } from '../shell/syntax.js';
import { literal } from '../shell/words.js';
import { npmCommand } from '../shell/npm-commands.js';
import { COMMAND_OPTIONS } from './command-options.js';

/**
 * The operands of a command (`kubectl -n prod delete pod x` -> delete, pod, x), with
 * options and their values skipped. An operand right after an option the table does
 * not know might be that option's value, so matchers may also start past it.
 */
export interface Operands {
  /** Literal text, or null for a word only known at run time. */
  readonly words: readonly (string | null)[];
  /** For each operand, whether it follows an unknown option and so may be its value. */
  readonly maybeValue: readonly boolean[];
  /** For each operand, its index in argv. */
  readonly at: readonly number[];
}

export function operandsOf(inv: Invocation, from = 1, spec: OptionSpec = COMMAND_OPTIONS[inv.name ?? ''] ?? {}): Operands {
  return scanOperands(argvTexts(inv), inv.argv, from, spec);
}

/**
 * The literal text of each argv word (null when only known at run time), with npm's
 * command word expanded to the command npm runs (`npm unpubl` -> unpublish): every
 * operand that may be the command, which is the first, and the next ones while the
 * ones before may be an unknown option's value.
 */
export function argvTexts(inv: Invocation): (string | null)[] {
  const texts = inv.argv.map((w) => literal(w));
  if (inv.name !== 'npm') return texts;
  const ops = scanOperands(texts, inv.argv, 1, COMMAND_OPTIONS.npm ?? {});
  for (let k = 0; k < ops.words.length && (k === 0 || ops.maybeValue[k - 1]); k++) {
    const word = ops.words[k];
    const command = word === null || word === undefined ? null : npmCommand(word);
    if (command !== null) texts[ops.at[k] as number] = command;
  }
  return texts;
}

function scanOperands(texts: readonly (string | null)[], argv: readonly Word[], from: number, spec: OptionSpec): Operands {
  const words: (string | null)[] = [];
  const maybeValue: boolean[] = [];
  const at: number[] = [];
  const short = spec.short ?? '';
  const long = new Set(spec.long ?? []);
  let afterUnknown = false;
  let onlyOperands = false;
  for (let i = from; i < argv.length; i++) {
    const word = argv[i] as Word;
    const t = texts[i] ?? null;
    if (onlyOperands || (t === null && !word.raw.startsWith('-')) || t === '-' || (t !== null && !t.startsWith('-'))) {
      words.push(t);
      maybeValue.push(afterUnknown);
      at.push(i);
      afterUnknown = false;
      continue;
    }
    if (t === '--') {
      onlyOperands = true;
      continue;
    }
    if (t === null) {
      afterUnknown = true;
      continue;
    }
    const body = t.replace(/^--?/, '');
    const takesValue = t.startsWith('--') || spec.singleDashLong ? long.has(body) : t.length === 2 && short.includes(body);
    if (takesValue) i++;
    // A long option missing from the table may take a value; short ones are taken as flags.
    afterUnknown = !takesValue && !body.includes('=') && (t.startsWith('--') || spec.singleDashLong === true);
  }
  return { words, maybeValue, at };
}

/**
 * True when the operands start with `expected` (after possibly skipping operands that
 * may be option values). A dynamic operand matches anything: `terraform "$CMD"` may be
 * a destroy, and the human is asked rather than the guess trusted.
 */
export function startsWith(ops: Operands, expected: readonly (string | RegExp)[]): boolean {
  for (let skip = 0; skip <= ops.words.length - expected.length; skip++) {
    if (skip > 0 && !ops.maybeValue[skip - 1]) return false;
    if (expected.every((e, k) => fits(ops.words[skip + k], e))) return true;
  }
  return false;
}

function fits(word: string | null | undefined, e: string | RegExp): boolean {
  if (word === undefined) return false;
  if (word === null) return true;
  return typeof e === 'string' ? word.toLowerCase() === e : e.test(word);
}

/** Any literal operand among the first `within` matches (a dynamic one does not: it could be anything, often a name). */
export function someOperand(ops: Operands, e: string | RegExp, within = 8): boolean {
  return ops.words.slice(0, within).some((w) => w !== null && fits(w, e));
}

/** True when the invocation carries one of these options (`-f`, `--force`, `--force=...`). */
export function hasOption(inv: Invocation, ...names: string[]): boolean {
  return inv.argv.slice(1).some((w) => {
    const t = literal(w);
    if (t === null || !t.startsWith('-')) return false;
    return names.some((n) => t === n || t.startsWith(`${n}=`));
  });
}

/** True when a short flag letter appears alone or in a cluster (`-rf` holds `r`). */
export function hasShortFlag(inv: Invocation, letters: string): boolean {
  return inv.argv.slice(1).some((w) => {
    const t = literal(w);
    return t !== null && /^-[A-Za-z]+$/.test(t) && [...letters].some((l) => t.includes(l));
  });
}
