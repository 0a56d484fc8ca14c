import { SHELL_LIMITS } from './limits.js';

/**
 * Brace expansion of a glob pattern (`{dist,src}` -> `dist`, `src`), bounded. Ranges
 * (`{1..9}`) and anything past the bound return null: the caller treats the word as
 * unknown rather than guessing which paths it names.
 */
export function expandBraces(pattern: string): string[] | null {
  const out: string[] = [];
  return expandInto(pattern, out, 0) ? out : null;
}

function expandInto(pattern: string, out: string[], depth: number): boolean {
  if (depth > 8) return false;
  const group = findGroup(pattern);
  if (!group) {
    out.push(pattern);
    return out.length <= SHELL_LIMITS.maxBraceExpansions;
  }
  const { open, close, alternatives } = group;
  if (alternatives.length === 1) {
    if (alternatives[0]?.includes('..')) return false;
    // `{x}` without a comma is literal text in bash: keep it, escaped, and carry on.
    return expandInto(`${pattern.slice(0, open)}\\{${alternatives[0]}\\}${pattern.slice(close + 1)}`, out, depth + 1);
  }
  for (const alt of alternatives) {
    if (!expandInto(pattern.slice(0, open) + alt + pattern.slice(close + 1), out, depth + 1)) return false;
  }
  return true;
}

function findGroup(s: string): { open: number; close: number; alternatives: string[] } | null {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') {
      i++;
      continue;
    }
    if (s[i] !== '{') continue;
    let depth = 0;
    let start = i + 1;
    const alternatives: string[] = [];
    for (let j = i; j < s.length; j++) {
      const c = s[j];
      if (c === '\\') {
        j++;
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth === 0) {
          alternatives.push(s.slice(start, j));
          return { open: i, close: j, alternatives };
        }
      } else if (c === ',' && depth === 1) {
        alternatives.push(s.slice(start, j));
        start = j + 1;
      }
    }
    return null;
  }
  return null;
}
