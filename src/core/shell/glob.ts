/**
 * Glob matching for one path component, with the shell's rules: `*`, `?`, `[...]`,
 * backslash escapes, and a leading dot that only a literal dot matches. Iterative with
 * a single backtrack point, so the cost is O(pattern × text), never exponential.
 */
export function matchComponent(pattern: string, text: string): boolean {
  if (text.startsWith('.') && !pattern.startsWith('.') && !pattern.startsWith('\\.')) return false;
  return wildcard(pattern, text);
}

/** `*`-style matching for names (tool names, branch names): no dot rule. */
export function wildcard(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = -1;
  while (t < text.length) {
    const pc = pattern[p];
    if (pc === '*') {
      starP = ++p;
      starT = t;
      continue;
    }
    const step = pc === undefined ? 0 : matchOne(pattern, p, text[t] as string);
    if (step > 0) {
      p += step;
      t++;
      continue;
    }
    if (starP === -1) return false;
    p = starP;
    t = ++starT;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Length of the pattern element at p if it matches c, else 0. */
function matchOne(pattern: string, p: number, c: string): number {
  const pc = pattern[p] as string;
  if (pc === '?') return 1;
  if (pc === '\\' && p + 1 < pattern.length) return pattern[p + 1] === c ? 2 : 0;
  if (pc === '[') {
    const cls = bracket(pattern, p, c);
    if (cls !== null) return cls.matched ? cls.length : 0;
  }
  return pc === c ? 1 : 0;
}

function bracket(pattern: string, p: number, c: string): { matched: boolean; length: number } | null {
  let i = p + 1;
  const negate = pattern[i] === '!' || pattern[i] === '^';
  if (negate) i++;
  let matched = false;
  let first = true;
  while (i < pattern.length && (pattern[i] !== ']' || first)) {
    first = false;
    let lo = pattern[i] as string;
    if (lo === '\\' && i + 1 < pattern.length) lo = pattern[++i] as string;
    if (pattern[i + 1] === '-' && i + 2 < pattern.length && pattern[i + 2] !== ']') {
      const hi = pattern[i + 2] as string;
      if (c >= lo && c <= hi) matched = true;
      i += 3;
    } else {
      if (c === lo) matched = true;
      i++;
    }
  }
  if (i >= pattern.length) return null;
  return { matched: matched !== negate, length: i - p + 1 };
}

/** True when the component holds an unescaped glob character. */
export function hasWildcard(component: string): boolean {
  for (let i = 0; i < component.length; i++) {
    const c = component[i];
    if (c === '\\') i++;
    else if (c === '*' || c === '?' || c === '[') return true;
  }
  return false;
}
