import type { Invocation } from '../shell/invocation.js';
import { wordPath } from '../shell/paths.js';
import type { Word } from '../shell/syntax.js';
import { literal } from '../shell/words.js';
import { strictlyInside } from '../lib/inside.js';
import { isBuildPath } from './build-dirs.js';
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
  for (const root of roots.length > 0 ? roots : [lit('.')]) {
    const ref = wordPath(root, inv.cwd, inv.vars, env.home);
    if (ref.kind !== 'path') return `the start directory ${root.raw} is only known when it runs`;
    if (isBuildPath(ref.path, env)) continue;
    const inProject = ref.path === env.projectRoot || strictlyInside(ref.path, env.projectRoot);
    if (!(inProject && filtered)) return `it deletes everything it finds under ${ref.path}`;
  }
  return null;
}

function lit(s: string): Word {
  return { parts: [{ t: 'lit', s, quoted: false }], raw: s, subs: [] };
}
