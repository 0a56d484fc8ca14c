import type { Invocation } from '../shell/invocation.js';
import { physicalPath, wordPath } from '../shell/paths.js';
import type { Word } from '../shell/syntax.js';
import { literal } from '../shell/words.js';
import { strictlyInside } from '../lib/inside.js';
import { type Places, isBuildPath } from './build-dirs.js';
import { deletedPath, realPlaces } from './physical.js';
import type { MatchEnv } from './rule.js';

/**
 * `find ROOT... -delete`: routine under build and temp dirs, and inside the project
 * when a name or path filter narrows it (`find . -name '*.pyc' -delete`). An
 * unfiltered delete, or one rooted outside the project, is gated like `rm -rf`.
 */
const FILTERS = new Set(['-name', '-iname', '-path', '-ipath', '-regex', '-iregex', '-wholename', '-iwholename']);

export function findDeleteOutsideBuild(inv: Invocation, env: MatchEnv): string | null {
  const words = inv.argv.map((w) => literal(w));
  if (!words.includes('-delete')) return null;
  const roots: Word[] = [];
  for (let i = 1; i < inv.argv.length; i++) {
    const t = words[i];
    if (t !== null && t !== undefined && (t.startsWith('-') || t === '(' || t === '!')) break;
    if (!['-H', '-L', '-P'].includes(t ?? '')) roots.push(inv.argv[i] as Word);
  }
  const filtered = words.some((w) => w !== null && FILTERS.has(w));
  if (inv.remote) return 'it deletes on another machine';
  // -L follows every symlink below the start: a link in a build dir leads anywhere.
  if (words.slice(1, words.indexOf('-delete')).includes('-L')) return 'it follows symbolic links (-L) while deleting';
  const places = realPlaces(env);
  for (const root of roots.length > 0 ? roots : [lit('.')]) {
    const ref = wordPath(root, inv.cwd, inv.vars, env.home);
    if (ref.kind !== 'path') return `the start directory ${root.raw} is only known when it runs`;
    const why = judge(ref.path, filtered, env) ?? physically(root, inv, env, places, filtered);
    if (why) return why;
  }
  return null;
}

function judge(path: string, filtered: boolean, places: Places): string | null {
  if (isBuildPath(path, places)) return null;
  const inProject = path === places.projectRoot || strictlyInside(path, places.projectRoot);
  return inProject && filtered ? null : `it deletes everything it finds under ${path}`;
}

/** The start directory find really walks: a trailing slash or -H follows a symlink (see physical.ts). */
function physically(root: Word, inv: Invocation, env: MatchEnv, places: Places, filtered: boolean): string | null {
  const ref = physicalPath(root, inv.cwd, inv.vars, env.home);
  if (ref.kind !== 'path') return null;
  const real = deletedPath(ref.path, env, inv.argv.some((w) => literal(w) === '-H'));
  return real === null || env.kindOf(real) !== 'dir' ? null : judge(real, filtered, places);
}

function lit(s: string): Word {
  return { parts: [{ t: 'lit', s, quoted: false }], raw: s, subs: [] };
}
