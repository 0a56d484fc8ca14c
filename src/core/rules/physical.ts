import { posix } from 'node:path';
import { strictlyInside } from '../lib/inside.js';
import { hasWildcard, matchComponent } from '../shell/glob.js';
import { unescapeGlob } from '../shell/words.js';
import { type Places, isBuildPath, isBuildPattern } from './build-dirs.js';
import type { MatchEnv } from './rule.js';

/**
 * What `rm -r` really deletes, read from the file system. The build-dir check is
 * lexical, but the kernel follows symlinks: `rm -rf node_modules/s/` deletes the
 * contents of whatever `node_modules/s` points to (GNU rm follows a symlink named with a
 * trailing slash), `node_modules/s/x` and `node_modules/s/*` reach through it, and
 * `node_modules/s/../src` is a sibling of the link's target, not of node_modules. Each
 * target that exists is judged again by its real path, against the real places.
 */

/** Cap on the paths a glob may expand to before theguard stops reading and gates. */
const MAX_MATCHES = 4096;

/** The real project, home and temp dirs: `/tmp` is `/private/tmp` on macOS, `/home` may be a link. */
export function realPlaces(env: MatchEnv): Places {
  const real = (p: string) => env.realPath(p) ?? p;
  return { projectRoot: real(env.projectRoot), home: real(env.home), tempDirs: env.tempDirs.map(real) };
}

/**
 * Why a raw (unnormalised, absolute) target may not be deleted, judged by where it
 * really is, or null. A target that does not exist deletes nothing now; one that is not
 * a directory (a file, or a symlink named without a trailing slash) is not a tree.
 */
export function physicalTarget(raw: string, env: MatchEnv, places: Places): string | null {
  const real = deletedPath(raw, env);
  if (real === null || env.kindOf(real) !== 'dir') return null;
  return isBuildPath(real, places) ? null : `it deletes ${real} (the real path of ${raw.replace(/\/+$/, '') || '/'})`;
}

/**
 * The path rm (or find) works on: a trailing slash (or `follow`, for `find -H`) resolves
 * the last component too; otherwise only the directories above it.
 */
export function deletedPath(raw: string, env: MatchEnv, follow = false): string | null {
  if (follow || raw.endsWith('/') || /\/\.\.?$/.test(raw)) return env.realPath(raw);
  const parent = env.realPath(posix.dirname(raw));
  return parent === null ? null : posix.join(parent, posix.basename(raw));
}

/**
 * The same for a raw glob: where the glob starts is resolved, and when only the last
 * component is a wildcard and no slash follows, that is enough (every match lies in the
 * real start directory). Otherwise the glob is expanded on disk, as the shell would,
 * and each match judged.
 */
export function physicalPattern(raw: string, env: MatchEnv, places: Places): string | null {
  const parts = raw.split('/');
  const firstWild = parts.findIndex((p) => hasWildcard(p));
  if (firstWild === parts.length - 1) {
    const start = env.realPath(parts.slice(0, firstWild).map(unescapeGlob).join('/') || '/');
    if (start === null) return null;
    const pattern = `${start === '/' ? '' : start.replace(/[*?[\]\\{},]/g, '\\$&')}/${parts[firstWild]}`;
    return isBuildPattern(pattern, places) ? null : `the pattern can match outside the build and temp dirs (it starts in ${start})`;
  }
  const matches = expand(parts, env);
  if (matches === null) return `the pattern ${raw} matches more files than theguard checks`;
  for (const m of matches) {
    const why = physicalTarget(m, env, places);
    if (why) return why;
  }
  return null;
}

/** A glob expanded against the file system, following symlinked directories as the shell does; null past the cap. */
function expand(parts: readonly string[], env: MatchEnv): string[] | null {
  let paths = [''];
  for (let k = 1; k < parts.length; k++) {
    const part = parts[k] as string;
    if (!hasWildcard(part)) {
      paths = paths.map((p) => `${p}/${unescapeGlob(part)}`);
      continue;
    }
    const next: string[] = [];
    for (const p of paths) {
      for (const name of env.readDir(p === '' ? '/' : p) ?? []) {
        if (!matchComponent(part, name)) continue;
        next.push(`${p}/${name}`);
        if (next.length > MAX_MATCHES) return null;
      }
    }
    paths = next;
  }
  return paths;
}

/**
 * A path written earlier in the same command by a command that can make links (`ln`,
 * `cp`, `mv`, ...) at or above the target (or below a glob's start): `ln -s ../src node_modules/s && rm -rf
 * node_modules/s/` deletes through a link the file system does not hold yet.
 */
export function linkedAbove(target: string, linked: ReadonlySet<string> | undefined, orBelow = false): string | null {
  for (const p of linked ?? []) if (p === target || strictlyInside(target, p) || (orBelow && strictlyInside(p, target))) return p;
  return null;
}
