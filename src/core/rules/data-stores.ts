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

/**
 * `FLUSHALL` / `FLUSHDB`, directly or from a Lua script: `EVAL "return
 * redis.call('FLUSHALL')" 0`, `SCRIPT LOAD`, `FUNCTION LOAD`, `--eval file.lua`, a script
 * on stdin with `-x`. EVALSHA and FCALL run a script stored earlier, which theguard
 * cannot read, so they count too.
 */
export const redisFlush: Matcher = (inv, env) => {
  const scan = scanAll(inv.argv, 1, { ...COMMAND_OPTIONS['redis-cli'], long: [...(COMMAND_OPTIONS['redis-cli']?.long ?? []), 'eval'] });
  const file = scan.values.get('eval')?.[0];
  if (file) return inspect(fromFile(file, inv, env), luaHazard);
  const ops = operandsOf(inv, 1, COMMAND_OPTIONS['redis-cli']);
  if (ops.words.length > 0) {
    const script = scan.flags.has('x') ? fromStdin(inv.stdin, inv, env) : null;
    return redisCommand(ops.words, script);
  }
  return inspect(fromStdin(inv.stdin, inv, env), (text) => {
    for (const line of text.split('\n')) {
      const hit = redisCommand(splitRedisLine(line), null);
      if (hit) return hit;
    }
    return null;
  });
};

/** One redis command's words; `stdinScript` is the last argument redis-cli -x reads from stdin. */
function redisCommand(words: readonly (string | null)[], stdinScript: TextSource | null): string | null {
  const [cmd, arg1, arg2] = words;
  if (cmd === null) return 'the redis command is only known when it runs';
  if (cmd === undefined) return null;
  const name = cmd.toUpperCase();
  if (FLUSH.test(cmd)) return name;
  const lua = (w: string | null | undefined): string | null => {
    if (w === undefined) return stdinScript ? inspect(stdinScript, luaHazard) : null;
    return w === null ? 'the script is only known when it runs' : luaHazard(w);
  };
  if (name === 'EVAL' || name === 'EVAL_RO') return lua(arg1);
  if (['EVALSHA', 'EVALSHA_RO', 'FCALL', 'FCALL_RO'].includes(name)) return `${name} runs a stored script theguard cannot read`;
  const sub = arg1?.toUpperCase();
  if (name === 'SCRIPT' && sub === 'LOAD') return lua(arg2);
  if (name === 'FUNCTION' && sub === 'LOAD') return lua(arg2?.toUpperCase() === 'REPLACE' ? words[3] : arg2);
  if (name === 'FUNCTION' && sub === 'RESTORE') return 'FUNCTION RESTORE loads functions theguard cannot read';
  return null;
}

/** Members of the `redis` / `server` object a script may use without naming a command. */
const LUA_API = /^\s*\.\s*(log|sha1hex|error_reply|status_reply|setresp|set_repl|replicate_commands|breakpoint|debug|acl_check_cmd|register_function|REDIS_VERSION(_NUM)?|LOG_\w+|REPL_\w+)\b/;
/** `.call('GET', ...)` with a literal command. */
const LITERAL_CALL = /^\s*\.\s*p?call\s*\(\s*(['"])((?:\\.|(?!\1).)*)\1\s*[,)]/;

/**
 * A Lua script flushes when it names FLUSHALL or FLUSHDB; it may, when it builds the
 * command it calls (`redis.call(KEYS[1])`, `redis.call('FLUSH'..'ALL')`), keeps the API
 * object in a variable, or reaches globals indirectly (`_G`, `load`).
 */
function luaHazard(script: string): string | null {
  const flush = /flush(all|db)/i.exec(script);
  if (flush) return `the script calls ${flush[0].toUpperCase()}`;
  if (/\b(_G|_ENV|getfenv|setfenv|loadstring|load|rawget|dofile|require)\b/.test(script)) return 'the script reaches commands indirectly';
  for (const m of script.matchAll(/\b(redis|server)\b/g)) {
    const rest = script.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 200);
    if (!LITERAL_CALL.test(rest) && !LUA_API.test(rest)) return 'the script computes the command it runs';
  }
  return null;
}

/** redis-cli's own line splitting (sdssplitargs): quoted arguments, backslash escapes in double quotes. */
function splitRedisLine(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"((?:\\.|[^"\\])*)"|'((?:\\'|[^'])*)'|(\S+)/g)) {
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] !== undefined ? m[2].replace(/\\'/g, "'") : (m[3] as string));
  }
  return out;
}

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
