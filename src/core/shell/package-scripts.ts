import { dirname, join } from 'node:path';
import type { Invocation } from './invocation.js';
import type { ReadFile } from './script-files.js';
import { npmCommand } from './npm-commands.js';
import { literal } from './words.js';

/**
 * `npm test`, `npm run deploy`, `yarn deploy`, `pnpm deploy`, `bun run deploy` run the
 * shell text in package.json's "scripts" (with its "pre" and "post" scripts). An agent
 * can write package.json; so what such a command runs is read, like a script file.
 */
export const PACKAGE_RUNNERS: ReadonlySet<string> = new Set(['npm', 'pnpm', 'yarn', 'bun']);

/** npm's own commands that run a script of the same name (install-test runs test after installing). */
const NPM_LIFECYCLE: Readonly<Record<string, string>> = { test: 'test', start: 'start', stop: 'stop', restart: 'restart', 'install-test': 'test', 'install-ci-test': 'test' };

export interface PackageScript {
  readonly name: string;
  readonly text: string;
}

export interface ScriptsRun {
  /** The directory of the package.json the scripts come from (they run there). */
  readonly dir: string;
  readonly scripts: readonly PackageScript[];
}

/** The package.json scripts this invocation runs, or null when it runs none (or they cannot be known). */
export function scriptsRun(inv: Invocation, readFile: ReadFile): ScriptsRun | null {
  if (inv.cwd === null || inv.remote) return null;
  const name = scriptName(inv);
  if (name === null) return null;
  const pkg = nearestPackage(inv.cwd, readFile);
  if (!pkg) return null;
  const pick = (n: string): PackageScript[] => (typeof pkg.scripts[n] === 'string' ? [{ name: n, text: pkg.scripts[n] as string }] : []);
  const main = pick(name);
  // yarn, pnpm and bun fall back to their own commands when no script has the name.
  if (main.length === 0) return null;
  return { dir: pkg.dir, scripts: [...pick(`pre${name}`), ...main, ...pick(`post${name}`)] };
}

/** Which script name the command asks for; null when none (or it is only known at run time). */
function scriptName(inv: Invocation): string | null {
  return scriptNameOf(inv.name ?? '', inv.argv.slice(1).map((w) => literal(w)));
}

/** The same from plain words: `npm` with ['run', 'build'] is "build"; npm's own commands run none. */
export function scriptNameOf(runner: string, words: readonly (string | null)[]): string | null {
  const args = words.filter((w, i) => !(w?.startsWith('-') ?? false) && !isOptionValue(words, i));
  const [first, second] = args;
  if (first === undefined || first === null) return null;
  if (runner === 'npm') {
    // npm runs prefixes and aliases of its commands: `npm run-s x` is `npm run x`, `npm tes` is `npm test`.
    const command = npmCommand(first);
    if (command === 'run') return second ?? null;
    return command === null ? null : (NPM_LIFECYCLE[command] ?? null);
  }
  // yarn, pnpm and bun: `run NAME`, or `NAME` itself when a script has that name.
  if (first === 'run') return second ?? null;
  return first;
}

/**
 * For the hook's light path, without parsing: the scripts a plain `npm test` (no shell
 * operators) would run, with their pre and post scripts. All of them when that cannot be
 * told, or when one of them runs the package runner again.
 */
export function scriptsToCheck(command: string, pkg: PackageJson): string[] {
  const all = Object.values(pkg.scripts).filter((t): t is string => typeof t === 'string');
  if (/[;&|<>()\n]/.test(command)) return all;
  const words = command.trim().split(/\s+/).filter((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
  const runner = words[0] ?? '';
  if (!PACKAGE_RUNNERS.has(runner)) return all;
  const name = scriptNameOf(runner, words.slice(1));
  if (name === null) return [];
  const picked = [`pre${name}`, name, `post${name}`].map((n) => pkg.scripts[n]).filter((t): t is string => typeof t === 'string');
  return picked.some((t) => /(^|[^a-z0-9_.-])(npm|pnpm|yarn|bun|npx)([^a-z0-9_.-]|$)/i.test(t)) ? all : picked;
}

/** `--prefix DIR`, `-C DIR`, `--filter X`: the next word is a value, not the script. */
function isOptionValue(words: readonly (string | null)[], i: number): boolean {
  const prev = words[i - 1];
  return prev === '--prefix' || prev === '-C' || prev === '--cwd' || prev === '--filter' || prev === '-F' || prev === '--workspace' || prev === '-w';
}

export interface PackageJson {
  readonly dir: string;
  readonly scripts: Readonly<Record<string, unknown>>;
}

/** The package.json npm would use: the nearest one at or above `cwd`. */
export function nearestPackage(cwd: string, readFile: ReadFile): PackageJson | null {
  for (let dir = cwd; ; dir = dirname(dir)) {
    const read = readFile(join(dir, 'package.json'));
    if (read.kind === 'ok') {
      try {
        const pkg = JSON.parse(read.text) as { scripts?: unknown };
        const scripts = typeof pkg.scripts === 'object' && pkg.scripts !== null ? (pkg.scripts as Record<string, unknown>) : {};
        return { dir, scripts };
      } catch {
        return null;
      }
    }
    if (dirname(dir) === dir) return null;
  }
}
