import type { Invocation } from '../shell/invocation.js';
import { composeDownVolumes, mongoDrop, redisFlush, sqlHazard } from './data-stores.js';
import { findDeleteOutsideBuild } from './find.js';
import { ghApiDelete } from './gh.js';
import { gitBranchForceDeleteProtected, gitCleanForce, gitResetHard } from './git.js';
import { hasOption, operandsOf, someOperand, startsWith } from './positionals.js';
import { rmRecursiveOutsideBuild } from './rm.js';
import { rsyncDeleteOutsideBuild } from './rsync.js';
import type { MatchEnv, MatchResult, MatchSpec, Matcher, NamedMatcher } from './rule.js';

/** Evaluates the catalogue's match specs against one invocation. */
const NAMED: Readonly<Record<NamedMatcher, Matcher>> = {
  'sql:drop': sqlHazard('drop'),
  'sql:truncate': sqlHazard('truncate'),
  'sql:delete-without-where': sqlHazard('delete-without-where'),
  'sql:alter-drop': sqlHazard('alter-drop'),
  'sql:unknown': sqlHazard('unknown'),
  'redis-flush': redisFlush,
  'mongo-drop': mongoDrop,
  'compose-down-volumes': composeDownVolumes,
  'rm-recursive-outside-build': rmRecursiveOutsideBuild,
  'find-delete-outside-build': findDeleteOutsideBuild,
  'rsync-delete-outside-build': rsyncDeleteOutsideBuild,
  'git-reset-hard': gitResetHard,
  'git-clean-force': gitCleanForce,
  'git-branch-force-delete-protected': gitBranchForceDeleteProtected,
  'gh-api-delete': ghApiDelete,
};

const truthy = (r: MatchResult): boolean => r !== null && r !== false;

export function evaluate(spec: MatchSpec, inv: Invocation, env: MatchEnv): MatchResult {
  if ('sub' in spec) return startsWith(operandsOf(inv), spec.sub);
  if ('operand' in spec) return someOperand(operandsOf(inv), spec.operand, spec.within);
  if ('option' in spec) return hasOption(inv, ...spec.option);
  if ('always' in spec) return true;
  if ('named' in spec) return NAMED[spec.named](inv, env);
  if ('any' in spec) {
    for (const s of spec.any) {
      const r = evaluate(s, inv, env);
      if (truthy(r)) return r;
    }
    return null;
  }
  let detail: MatchResult = true;
  for (const s of spec.all) {
    const r = evaluate(s, inv, env);
    if (!truthy(r)) return null;
    if (typeof r === 'string') detail = r;
  }
  return detail;
}
