import { type Dir, opendirSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { hasWildcard, matchComponent } from '../shell/glob.js';
import { escapeGlob, unescapeGlob } from '../shell/words.js';

/**
 * Where a glob pattern really leads. The shell expands a pattern against the disk,
 * through symlinks: after `ln -s /home/me /tmp/h`, `cat /tmp/h/.config/theguard/*` reads
 * the pepper, though the pattern as written names nothing guarded. So the longest
 * literal directory prefix is resolved with realpath, and each wildcard component before
 * any `**` is matched against the directory it lists, each match resolved in turn.
 * Bounded: past the bounds the pattern is kept with its prefix resolved. The patterns
 * returned are checked in addition to the one written, never instead of it.
 */
const MAX_RESULTS = 64;
const MAX_ENTRIES = 4096;

export function realPatterns(pattern: string, followLast = true): string[] {
  if (!pattern.startsWith('/')) return [];
  const comps = pattern.split('/').slice(1);
  const out = new Set<string>();
  expand('/', comps, 0, out, { entries: MAX_ENTRIES, followLast });
  out.delete(pattern);
  return [...out];
}

/** `followLast` false: what is named is the link itself (`rm -rf *` removes a link, not what it points to). */
interface Walk {
  entries: number;
  readonly followLast: boolean;
}

function expand(prefix: string, comps: readonly string[], i: number, out: Set<string>, walk: Walk): void {
  let path = prefix;
  while (i < comps.length && !hasWildcard(comps[i] as string)) path = join(path, unescapeGlob(comps[i++] as string));
  const real = i === comps.length && !walk.followLast ? join(realAsFarAsItExists(dirname(path)), basename(path)) : realAsFarAsItExists(path);
  const rest = comps.slice(i);
  out.add(rest.length === 0 ? escapeGlob(real) : `${escapeGlob(real)}/${rest.join('/')}`);
  if (rest.length === 0 || rest[0] === '**' || out.size >= MAX_RESULTS) return;
  for (const name of matching(real, rest[0] as string, walk)) {
    if (out.size >= MAX_RESULTS) return;
    expand(join(real, name), comps, i + 1, out, walk);
  }
}

/** Names in dir matching one glob component, within the budget of entries read. */
function matching(dir: string, component: string, budget: Walk): string[] {
  let handle: Dir;
  try {
    handle = opendirSync(dir);
  } catch {
    return [];
  }
  const names: string[] = [];
  try {
    for (let e = handle.readSync(); e !== null && budget.entries-- > 0; e = handle.readSync()) {
      if (matchComponent(component, e.name)) names.push(e.name);
    }
  } catch {
    // An unreadable directory lists nothing more.
  } finally {
    handle.closeSync();
  }
  return names;
}

/** The path with symlinks resolved in the part of it that exists. */
function realAsFarAsItExists(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(realAsFarAsItExists(parent), basename(path));
  }
}
