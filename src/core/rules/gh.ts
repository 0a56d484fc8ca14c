import type { Invocation } from '../shell/invocation.js';
import type { Word } from '../shell/syntax.js';
import { literal } from '../shell/words.js';
import { operandsOf, startsWith } from './positionals.js';
import type { MatchResult } from './rule.js';

/** Short flags of `gh api` that take a value: the rest of a cluster is that value. */
const VALUED = 'HfFqtp';

/**
 * `gh api -X DELETE repos/o/r` deletes whatever the endpoint names (a repository, a
 * branch protection, a release...). The method is read the way gh's flag parser
 * (pflag) reads it: `-X DELETE`, `-XDELETE`, `-X=DELETE`, `-iX DELETE`,
 * `--method DELETE`, `--method=DELETE`; long flags are never abbreviated. A method only
 * known at run time counts as a delete.
 */
export function ghApiDelete(inv: Invocation): MatchResult {
  if (!startsWith(operandsOf(inv), ['api'])) return null;
  let expecting = false;
  for (const w of inv.argv.slice(1) as Word[]) {
    const t = literal(w);
    if (expecting) {
      expecting = false;
      if (t === null) return 'the method is only known when it runs';
      if (isDelete(t)) return 'a DELETE request';
      continue;
    }
    if (t === null) continue;
    if (t === '--') break;
    if (t === '--method') expecting = true;
    else if (t.startsWith('--method=')) {
      if (isDelete(t.slice('--method='.length))) return 'a DELETE request';
    } else if (/^-[^-]/.test(t)) {
      const value = methodInCluster(t);
      if (value === '') expecting = true;
      else if (value !== null && isDelete(value)) return 'a DELETE request';
    }
  }
  return null;
}

/** The -X value in a short-flag cluster: '' when it is the next word, null when there is no -X. */
function methodInCluster(cluster: string): string | null {
  for (let k = 1; k < cluster.length; k++) {
    const c = cluster[k] as string;
    if (c === 'X') return cluster.slice(k + 1).replace(/^=/, '');
    if (VALUED.includes(c)) return null;
  }
  return null;
}

const isDelete = (method: string): boolean => method.trim().toUpperCase() === 'DELETE';
