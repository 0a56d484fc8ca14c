import { decodeEscapes } from './ansi-c.js';
import type { Input, Invocation } from './invocation.js';
import { has, scanOptions } from './options.js';
import type { ReadFile } from './script-files.js';
import { approximate, literal, resolve } from './words.js';

/**
 * What a command writes to stdout, as far as the analyser can tell. Only producers
 * that obfuscation relies on are modelled (`echo`, `printf`, `cat`, `base64 -d`,
 * `xxd -r -p`, `rev`, `tee`), so `echo cm0gLXJmIC8= | base64 -d | sh` is seen as
 * `rm -rf /`. Anything else is a stream whose content is unknown.
 */
export function stdoutOf(inv: Invocation, _readFile: ReadFile): Input {
  const stream: Input = { kind: 'stream', from: inv.raw };
  if (inv.redirects.some((r) => (r.fd === null || r.fd === 1) && (r.op === '>' || r.op === '>>' || r.op === '>|' || r.op === '&>' || r.op === '&>>'))) {
    return { kind: 'none' };
  }
  switch (inv.argsFromStdin ? null : inv.name) {
    case 'echo':
      return echo(inv);
    case 'printf':
      return printf(inv) ?? stream;
    case 'cat':
      return cat(inv) ?? stream;
    case 'tee':
      return inv.stdin;
    case 'base64':
      return decoded(inv, /^-(d|D|-decode)$/, (t) => Buffer.from(t, 'base64').toString('utf8')) ?? stream;
    case 'xxd':
      return has(scanOptions(inv.argv, 1, {}), 'r') ? (decoded(inv, null, (t) => Buffer.from(t.replace(/\s+/g, ''), 'hex').toString('utf8')) ?? stream) : stream;
    case 'rev':
      return decoded(inv, null, (t) => t.split('\n').map((l) => [...l].reverse().join('')).join('\n')) ?? stream;
    default:
      return stream;
  }
}

function echo(inv: Invocation): Input {
  let i = 1;
  let newline = true;
  let escapes = false;
  for (; i < inv.argv.length; i++) {
    const t = literal(inv.argv[i]!);
    if (t === null || !/^-[neE]+$/.test(t)) break;
    if (t.includes('n')) newline = false;
    if (t.includes('e')) escapes = true;
  }
  const args = inv.argv.slice(i);
  const exact = args.every((w) => resolve(w, inv.vars) !== null);
  let text = args.map((w) => approximate(w, inv.vars)).join(' ');
  if (escapes) text = decodeEscapes(text);
  return { kind: 'text', text: newline ? `${text}\n` : text, exact };
}

/** `printf TEXT` and `printf '%s' ARGS...`; richer formats are a stream. */
function printf(inv: Invocation): Input | null {
  const fmtWord = inv.argv[1];
  const fmt = fmtWord ? resolve(fmtWord, inv.vars) : null;
  if (fmt === null || fmt.startsWith('-')) return null;
  const args = inv.argv.slice(2).map((w) => resolve(w, inv.vars));
  if (args.some((a) => a === null)) return null;
  const plain = fmt.replace(/%%/g, '');
  if (!plain.includes('%')) return args.length === 0 ? { kind: 'text', text: decodeEscapes(fmt.replace(/%%/g, '%')), exact: true } : null;
  if (!/^(%s|\\n|[^%\\])*$/.test(fmt)) return null;
  const slots = (fmt.match(/%s/g) ?? []).length;
  if (slots === 0 || args.length === 0) return null;
  let out = '';
  for (let k = 0; k < args.length; k += slots) {
    let n = k;
    out += decodeEscapes(fmt.replace(/%s/g, () => args[n++] ?? ''));
  }
  return { kind: 'text', text: out, exact: true };
}

function cat(inv: Invocation): Input | null {
  const operands = inv.argv.slice(1).filter((w) => !(literal(w) ?? 'x').startsWith('-') || literal(w) === '-');
  if (operands.length === 0 || (operands.length === 1 && literal(operands[0]!) === '-')) return inv.stdin;
  if (operands.length === 1) return { kind: 'file', word: operands[0]! };
  return null;
}

function decoded(inv: Invocation, flag: RegExp | null, decode: (t: string) => string): Input | null {
  if (flag && !inv.argv.slice(1).some((w) => flag.test(literal(w) ?? ''))) return null;
  const input = inv.stdin;
  if (input.kind !== 'text' || !input.exact) return null;
  return { kind: 'text', text: decode(input.text), exact: true };
}
