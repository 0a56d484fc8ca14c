/**
 * Decode the body of a `$'...'` string. Agents (or prompt injections) can spell a
 * command as `$'\x72m'`; decoding it is what lets the analyser see `rm`.
 * Returns the decoded text and the index just past the closing quote, or null when
 * the string is not terminated.
 */
export function decodeAnsiC(src: string, start: number): { text: string; end: number } | null {
  return decode(src, start, "'");
}

/** Decode backslash escapes in a whole string, as `echo -e` and `printf` do with their text. */
export function decodeEscapes(text: string): string {
  return (decode(text, 0, null) as { text: string }).text;
}

function decode(src: string, start: number, terminator: string | null): { text: string; end: number } | null {
  let out = '';
  let i = start;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === terminator) return { text: out, end: i + 1 };
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const { text, next } = escape(src, i + 1);
    out += text;
    i = next;
  }
  return terminator === null ? { text: out, end: i } : null;
}

const SIMPLE: Record<string, string> = {
  n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v',
  '\\': '\\', "'": "'", '"': '"', '?': '?',
};

function escape(src: string, i: number): { text: string; next: number } {
  const c = src[i];
  if (c === undefined) return { text: '\\', next: i };
  const simple = SIMPLE[c];
  if (simple !== undefined) return { text: simple, next: i + 1 };
  if (c === 'x') return codePoint(src, i + 1, 2, 16);
  if (c === 'u') return codePoint(src, i + 1, 4, 16);
  if (c === 'U') return codePoint(src, i + 1, 8, 16);
  if (c >= '0' && c <= '7') return codePoint(src, i, 3, 8);
  if (c === 'c' && i + 1 < src.length) {
    return { text: String.fromCharCode((src.charCodeAt(i + 1) & 0x1f) >>> 0), next: i + 2 };
  }
  return { text: `\\${c}`, next: i + 1 };
}

function codePoint(src: string, i: number, maxDigits: number, radix: 8 | 16): { text: string; next: number } {
  let j = i;
  const digit = radix === 16 ? /[0-9a-fA-F]/ : /[0-7]/;
  while (j < src.length && j - i < maxDigits && digit.test(src[j] as string)) j++;
  if (j === i) return { text: radix === 16 ? `\\${src[i - 1]}` : '\\', next: i };
  const n = Number.parseInt(src.slice(i, j), radix);
  const text = n <= 0x10ffff ? String.fromCodePoint(n) : '';
  return { text, next: j };
}
