import type { Invocation } from '../shell/invocation.js';
import { scanAll } from '../shell/options.js';
import { literal } from '../shell/words.js';
import { COMMAND_OPTIONS } from './command-options.js';
import { operandsOf } from './positionals.js';
import type { MatchEnv, Matcher } from './rule.js';
import type { SqlHazard } from './sql-scan.js';
import { sqlVerdicts } from './sql.js';
import { type TextSource, fromFile, fromStdin, fromWord } from './text-input.js';

/** Matchers for database clients: SQL hazards, redis flushes, mongo drops. */

/**
 * The SQL of one invocation is scanned once, however many SQL rules ask: the cache
 * lives for one decision (a WeakMap keyed by the invocation).
 */
const verdictCache = new WeakMap<Invocation, ReturnType<typeof sqlVerdicts>>();

export const sqlHazard = (hazard: SqlHazard): Matcher => (inv, env) => {
  let verdicts = verdictCache.get(inv);
  if (!verdicts) {
    verdicts = sqlVerdicts(inv, env);
    verdictCache.set(inv, verdicts);
  }
  const hit = verdicts.find((v) => v.hazard === hazard);
  return hit ? hit.detail : null;
};

const FLUSH = /^flush(all|db)$/i;

export const redisFlush: Matcher = (inv, env) => {
  const ops = operandsOf(inv, 1, COMMAND_OPTIONS['redis-cli']);
  const cmd = ops.words[0];
  if (cmd === null) return 'the redis command is only known when it runs';
  if (cmd !== undefined) return FLUSH.test(cmd) ? cmd.toUpperCase() : null;
  return inspect(fromStdin(inv.stdin, inv, env), (text) => {
    const line = text.split('\n').find((l) => FLUSH.test(l.trim().split(/\s+/)[0] ?? ''));
    return line ? line.trim() : null;
  });
};

const MONGO_DROP = /\bdropDatabase\s*\(|\.drop\s*\(|\bdeleteMany\s*\(\s*\{\s*\}\s*\)/;

export const mongoDrop: Matcher = (inv, env) => {
  const scan = scanAll(inv.argv, 1, COMMAND_OPTIONS.mongosh ?? {});
  const sources: (TextSource | null)[] = (scan.values.get('eval') ?? []).map((w) => fromWord(w, inv));
  for (const w of [...(scan.values.get('file') ?? []), ...scan.operands.filter((w) => literal(w)?.endsWith('.js'))]) sources.push(fromFile(w, inv, env));
  if (sources.length === 0) sources.push(fromStdin(inv.stdin, inv, env));
  for (const s of sources) {
    const r = inspect(s, (text) => MONGO_DROP.exec(text)?.[0] ?? null);
    if (r) return r;
  }
  return null;
};

function inspect(source: TextSource | null, find: (text: string) => string | null): string | null {
  if (!source) return null;
  if (source.kind === 'unknown') return source.why;
  return find(source.text);
}

/** `docker compose down -v`: removes the project's named volumes with the containers. */
export const composeDownVolumes: Matcher = (inv: Invocation, _env: MatchEnv) => {
  const words = inv.argv.map((w) => literal(w));
  const down = words.indexOf('down');
  if (down === -1) return null;
  if (inv.name !== 'docker-compose' && inv.name !== 'podman-compose' && !words.slice(1, down).includes('compose')) return null;
  return words.slice(down + 1).some((w) => w === '--volumes' || (w !== null && /^-[A-Za-z]*v[A-Za-z]*$/.test(w)));
};
