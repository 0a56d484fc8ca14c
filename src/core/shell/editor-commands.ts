/**
 * Editors and filters that run shell commands from their own command language: GNU
 * sed's `e` command and the `e` flag of `s///`, vim's and ex's `:!cmd`, less's `!cmd`.
 * Only the forms that name the shell command plainly are extracted; anything else that
 * may run one is reported as unknown, for the guarded-word check of unanalysable code.
 */

/** What a sed script runs: `e CMD` commands, and whether it executes text it builds. */
export interface SedRuns {
  readonly commands: readonly string[];
  /** A bare `e` or `s///e`: the pattern space (the input) runs as a command. */
  readonly input: boolean;
  /** The script could not be read: it may run anything it mentions. */
  readonly unknown: boolean;
}

/** Commands whose argument runs to the end of the line. */
const TO_EOL = new Set(['a', 'i', 'c', 'r', 'R', 'w', 'W', ':', '#', 'e']);
const LABEL = new Set(['b', 't', 'T']);

export function sedRuns(script: string): SedRuns {
  const commands: string[] = [];
  let input = false;
  let i = 0;
  const n = script.length;
  const eol = () => {
    const end = script.indexOf('\n', i);
    const text = script.slice(i, end === -1 ? n : end);
    i = end === -1 ? n : end + 1;
    return text;
  };
  while (i < n) {
    const c = script[i] as string;
    if (/[\s;{}!]/.test(c)) {
      i++;
      continue;
    }
    // Addresses: numbers, steps, `$`, `/re/`, `\cREc`, ranges.
    if (/[0-9$,~+]/.test(c)) {
      i++;
      continue;
    }
    if (c === '/' || c === '\\') {
      const delim = c === '\\' ? script[i + 1] : '/';
      if (delim === undefined) return { commands, input, unknown: true };
      i = skipDelimited(script, c === '\\' ? i + 2 : i + 1, delim);
      if (i === -1) return { commands, input, unknown: true };
      while (i < n && /[IM]/.test(script[i] as string)) i++;
      continue;
    }
    i++;
    if (c === 'e') {
      const text = eol().trim();
      if (text.endsWith('\\')) return { commands, input, unknown: true };
      if (text === '') input = true;
      else commands.push(text);
    } else if (TO_EOL.has(c)) {
      // `a\`, `i\`, `c\`: text lines continue while they end in a backslash.
      while (eol().endsWith('\\') && i < n);
    }
    else if (LABEL.has(c)) {
      while (i < n && !/[;\n]/.test(script[i] as string)) i++;
    } else if (c === 's' || c === 'y') {
      const delim = script[i];
      if (delim === undefined || delim === '\n' || delim === '\\') return { commands, input, unknown: true };
      i = skipDelimited(script, i + 1, delim);
      if (i !== -1) i = skipDelimited(script, i, delim);
      if (i === -1) return { commands, input, unknown: true };
      if (c === 'y') continue;
      while (i < n && /[0-9gpiImMe]/.test(script[i] as string)) if (script[i++] === 'e') input = true;
      if (script[i] === 'w') {
        i++;
        eol();
      }
    } else if (!/[=dDgGhHlLnNpPqQxzF]/.test(c)) return { commands, input, unknown: true };
  }
  return { commands, input, unknown: false };
}

/** The index after the closing delimiter, skipping escapes (and newlines inside); -1 when unclosed. */
function skipDelimited(s: string, from: number, delim: string): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === delim) return i + 1;
  }
  return -1;
}

/**
 * A vim or ex command line (`-c CMD`, `+CMD`, a line of an `-es` script): the shell
 * command of `:!cmd`, `:silent !cmd`, `:r !cmd`, `:w !cmd`, `:{range}!cmd`; null when it
 * runs none that plainly, undefined when it is not one of those forms.
 */
export function vimShell(line: string): string | undefined {
  const m = /^[\s:]*(?:sil(?:ent)?!?\s*)?(?:(?:'[a-z<>]|[%.$,0-9+-])*\s*)?(?:(?:r(?:ead)?|w(?:rite)?)\s*)?!(.*)$/s.exec(line);
  return m ? (m[1] as string).trim() : undefined;
}
