import type { Word } from './syntax.js';
import { literal } from './words.js';

/**
 * Getopt-style option scanning over parsed words, shared by the wrappers and the rules.
 * A spec says which options take a value; everything else starting with `-` is a flag.
 */
export interface OptionSpec {
  /** Short options that take a value, e.g. "uCS" for `-u NAME`, `-C DIR`, `-S STRING`. */
  readonly short?: string;
  /** Long options (without `--`) that take a value. */
  readonly long?: readonly string[];
  /** Treat `-NUMBER` (as in `nice -10`) as a flag. */
  readonly numericFlags?: boolean;
  /** Single-dash long options (`-destroy`, `-chdir=DIR`), as terraform and find use. */
  readonly singleDashLong?: boolean;
}

export interface ScannedOptions {
  /** Index of the first operand (after a `--`, if one ended the options). */
  readonly index: number;
  /** Every option seen, by its name without dashes (`u`, `user`, `c`), with its values. */
  readonly values: ReadonlyMap<string, readonly Word[]>;
  readonly flags: ReadonlySet<string>;
  /** Long options as written (`--recurs` stays `recurs`), for abbreviation checks. */
  readonly longs?: ReadonlySet<string>;
}

export function scanOptions(words: readonly Word[], start: number, spec: OptionSpec): ScannedOptions {
  const values = new Map<string, Word[]>();
  const flags = new Set<string>();
  const longs = new Set<string>();
  const shortWithValue = spec.short ?? '';
  const longWithValue = new Set(spec.long ?? []);
  const put = (name: string, w: Word) => {
    const list = values.get(name);
    if (list) list.push(w);
    else values.set(name, [w]);
  };
  let i = start;
  while (i < words.length) {
    const text = literal(words[i] as Word);
    if (text === null || text === '-' || !text.startsWith('-')) break;
    if (text === '--') {
      i++;
      break;
    }
    if (text.startsWith('--') || spec.singleDashLong) {
      const body = text.replace(/^--?/, '');
      const eq = body.indexOf('=');
      const written = eq === -1 ? body : body.slice(0, eq);
      const name = unabbreviate(written, longWithValue, text.startsWith('--'));
      if (text.startsWith('--')) longs.add(written);
      if (eq !== -1) put(name, litWord(body.slice(eq + 1)));
      else if (longWithValue.has(name) && i + 1 < words.length) put(name, words[++i] as Word);
      else if (spec.singleDashLong && name.length === 1 && shortWithValue.includes(name) && i + 1 < words.length) put(name, words[++i] as Word);
      else flags.add(name);
      i++;
      continue;
    }
    if (spec.numericFlags && /^-\d+$/.test(text)) {
      flags.add(text.slice(1));
      i++;
      continue;
    }
    i = scanCluster(words, i, text, shortWithValue, flags, put);
  }
  return { index: i, values, flags, longs };
}

/**
 * GNU getopt_long and git accept any unambiguous prefix of a long option (`--comm` for
 * `--command`). A prefix of an option that takes a value is read as that option, so its
 * value is still seen where it matters (`psql --comm='DROP ...'`).
 */
function unabbreviate(name: string, withValue: ReadonlySet<string>, long: boolean): string {
  if (!long || withValue.has(name) || name.length < 2) return name;
  for (const full of withValue) if (full.startsWith(name)) return full;
  return name;
}

/**
 * A long option that is dangerous when present (`--hard`, `--force`, `--recursive`),
 * given in full or abbreviated to at least `min` characters after the dashes. Only for
 * options whose presence makes a command *more* dangerous: a safety option (`--dry-run`)
 * must be matched exactly, or a prefix could make a destructive command look harmless.
 */
export function hasLong(scan: ScannedOptions, name: string, min = 2): boolean {
  if (scan.flags.has(name) || scan.values.has(name)) return true;
  for (const l of scan.longs ?? []) if (l.length >= min && name.startsWith(l)) return true;
  return false;
}

/** `-abc` is `-a -b -c`, except that an option taking a value takes the rest of the cluster or the next word. */
function scanCluster(
  words: readonly Word[],
  i: number,
  text: string,
  shortWithValue: string,
  flags: Set<string>,
  put: (name: string, w: Word) => void,
): number {
  for (let k = 1; k < text.length; k++) {
    const letter = text[k] as string;
    if (!shortWithValue.includes(letter)) {
      flags.add(letter);
      continue;
    }
    const rest = text.slice(k + 1);
    if (rest !== '') put(letter, litWord(rest));
    else if (i + 1 < words.length) {
      put(letter, words[i + 1] as Word);
      return i + 2;
    }
    return i + 1;
  }
  return i + 1;
}

/**
 * GNU-style scanning: options may come after operands (`mysql app -e SQL`,
 * `git push origin main --force`), until a `--`. Returns the operands in order.
 */
export function scanAll(words: readonly Word[], start: number, spec: OptionSpec): ScannedOptions & { readonly operands: readonly Word[] } {
  const values = new Map<string, Word[]>();
  const flags = new Set<string>();
  const longs = new Set<string>();
  const operands: Word[] = [];
  let i = start;
  while (i < words.length) {
    const scan = scanOptions(words, i, spec);
    for (const [k, v] of scan.values) values.set(k, [...(values.get(k) ?? []), ...v]);
    for (const f of scan.flags) flags.add(f);
    for (const l of scan.longs ?? []) longs.add(l);
    i = scan.index;
    if (i > 0 && literal(words[i - 1] as Word) === '--') {
      operands.push(...words.slice(i));
      break;
    }
    if (i < words.length) operands.push(words[i++] as Word);
  }
  return { index: start, values, flags, longs, operands };
}

export function litWord(s: string): Word {
  return { parts: [{ t: 'lit', s, quoted: true }], raw: s, subs: [] };
}

/** True if the scan saw any of these options (as flags or with values). */
export function has(scan: ScannedOptions, ...names: string[]): boolean {
  return names.some((n) => scan.flags.has(n) || scan.values.has(n));
}
