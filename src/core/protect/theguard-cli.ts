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
    const script = literal(inv.argv[k] as Word);
    const ref = wordPath(inv.argv[k] as Word, inv.cwd, inv.vars, home);
    const known = ref.kind === 'path' && cliPaths.includes(ref.path);
    return known || (script !== null && isTheguardScript(script)) ? inv.argv.slice(k + 1) : null;
  }
  return null;
}

const EMPTY: Word = { parts: [], raw: '', subs: [] };

function isTheguardScript(path: string): boolean {
  const p = path.toLowerCase();
  return commandName(p) === 'theguard' || /(^|\/)theguard\/(dist\/)?cli\.[cm]?js$/.test(p) || /\/theguard\/dist\/[^/]*\.[cm]?js$/.test(p);
}
