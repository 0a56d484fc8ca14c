/**
 * Canonical JSON: object keys sorted, no whitespace. Two processes that describe
 * the same operation produce the same bytes, so they produce the same fingerprint.
 * Values JSON cannot represent exactly are rejected rather than silently dropped,
 * because a dropped field would let two different operations share a fingerprint.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function canonicalJson(value: unknown): string {
  return encode(value, 0);
}

const MAX_DEPTH = 64;

function encode(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new TypeError('value is nested too deeply to fingerprint');
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot fingerprint the number ${value}`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => encode(v, depth + 1)).join(',')}]`;
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError('only plain objects, arrays and primitives can be fingerprinted');
      }
      const entries = Object.keys(value)
        .sort()
        .map((k) => {
          const v = (value as Record<string, unknown>)[k];
          if (v === undefined) throw new TypeError(`key "${k}" is undefined; omit it or use null`);
          return `${JSON.stringify(k)}:${encode(v, depth + 1)}`;
        });
      return `{${entries.join(',')}}`;
    }
    default:
      throw new TypeError(`cannot fingerprint a value of type ${typeof value}`);
  }
}
