import { realpathSync } from 'node:fs';
import type { Invocation } from '../shell/invocation.js';
import { wordPath } from '../shell/paths.js';
import { commandName } from '../shell/command-name.js';
import type { Word } from '../shell/syntax.js';
import { literal } from '../shell/words.js';

/**
 * The human's own commands. `verify` takes the code (an agent guessing burns the
 * human's attempts and locks the tier); `init` and `uninstall` install and remove the
 * hooks; `--config FILE` points theguard at a configuration the agent could write.
 * Reached directly, through npx/pnpm/yarn (unwrapped earlier), or as `node .../cli.js`.
 */
const HUMAN_ONLY = new Set(['verify', 'uninstall', 'init']);
const RUNNERS = new Set(['pnpm', 'yarn', 'bun']);
const NODES = new Set(['node', 'nodejs', 'bun', 'deno', 'tsx', 'ts-node']);

/** `cliPaths`: absolute paths of theguard's own entry scripts, as the hook knows them. */
export function theguardCli(inv: Invocation, cliPaths: readonly string[], home: string): string | null {
  const args = theguardArgs(inv, cliPaths, home);
  if (!args) return null;
  for (let i = 0; i < args.length; i++) {
    const t = literal(args[i] as Word);
    if (t === null) return 'it runs theguard with a subcommand that is only known when it runs';
    if (t === '--config' || t.startsWith('--config=')) return 'it points theguard at another configuration file';
    if (t.startsWith('-')) continue;
    return HUMAN_ONLY.has(t) ? `\`theguard ${t}\` is for the human, in their own terminal` : null;
  }
  return null;
}

/** The arguments after theguard's name, or null when the invocation does not run theguard. */
function theguardArgs(inv: Invocation, cliPaths: readonly string[], home: string): readonly Word[] | null {
  if (inv.name === 'theguard') return inv.argv.slice(1);
  if (inv.name !== null && RUNNERS.has(inv.name)) {
    const k = inv.argv.findIndex((w, i) => i > 0 && !(literal(w) ?? '-').startsWith('-'));
    const first = k > 0 ? literal(inv.argv[k] as Word) : null;
    if (first === 'theguard') return inv.argv.slice(k + 1);
    if ((first === 'run' || first === 'exec') && literal(inv.argv[k + 1] ?? EMPTY) === 'theguard') return inv.argv.slice(k + 2);
    return null;
  }
  if (inv.name !== null && NODES.has(inv.name)) {
    const k = inv.argv.findIndex((w, i) => i > 0 && !(literal(w) ?? '-').startsWith('-'));
    if (k <= 0) return null;
    return isTheguard(inv.argv[k] as Word, inv, cliPaths, home) ? inv.argv.slice(k + 1) : null;
  }
  // `/tmp/x/tg verify`: running by path a file that is theguard's CLI, or a link to it.
  if (literal(inv.argv[0] ?? EMPTY)?.includes('/') && isTheguard(inv.argv[0] as Word, inv, cliPaths, home)) return inv.argv.slice(1);
  return null;
}

const EMPTY: Word = { parts: [], raw: '', subs: [] };

/**
 * Whether a script path is theguard's CLI: by name, or by where it leads. Paths are
 * compared after resolving symlinks on both sides, so a link made elsewhere to
 * dist/cli.js is still theguard. A copy of the file is not recognised (a same-user limit:
 * see docs/threat-model.md).
 */
function isTheguard(word: Word, inv: Invocation, cliPaths: readonly string[], home: string): boolean {
  const script = literal(word);
  if (script !== null && isTheguardScript(script)) return true;
  const ref = wordPath(word, inv.cwd, inv.vars, home);
  if (ref.kind !== 'path') return false;
  if (cliPaths.includes(ref.path)) return true;
  const real = realOrNull(ref.path);
  return real !== null && (realCliPaths(cliPaths).has(real) || isTheguardScript(real));
}

const realCache = new WeakMap<readonly string[], ReadonlySet<string>>();

function realCliPaths(cliPaths: readonly string[]): ReadonlySet<string> {
  let set = realCache.get(cliPaths);
  if (!set) {
    set = new Set(cliPaths.map((p) => realOrNull(p) ?? p));
    realCache.set(cliPaths, set);
  }
  return set;
}

function realOrNull(path: string): string | null {
  try {
    return realpathSync.native(path);
  } catch {
    return null;
  }
}

function isTheguardScript(path: string): boolean {
  const p = path.toLowerCase();
  return commandName(p) === 'theguard' || /(^|\/)theguard\/(dist\/)?cli\.[cm]?js$/.test(p) || /\/theguard\/dist\/[^/]*\.[cm]?js$/.test(p);
}
