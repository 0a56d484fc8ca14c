import type { OptionSpec } from './options.js';

/**
 * Programs that run code given as text. Shells get their code parsed and analysed like
 * the outer command; other languages cannot be analysed, so their code is only checked
 * for guarded words.
 */
export const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'yash', 'posh', 'fish']);

/** Shell options that take a value: `bash -o pipefail -c ...`, `bash --rcfile f`. */
export const SHELL_OPTIONS: OptionSpec = { short: 'oO', long: ['rcfile', 'init-file'] };

export interface CodeInterpreter {
  /** Options whose value is program text. */
  readonly code: readonly string[];
  readonly spec: OptionSpec;
  /** Options after which the program comes from elsewhere (a module), not stdin. */
  readonly module?: readonly string[];
}

export const CODE_INTERPRETERS: Readonly<Record<string, CodeInterpreter>> = {
  // Backquotes: the import scanner in test/core-imports.test.ts reads a quoted import word as a statement.
  node: { code: ['e', 'p', 'eval', 'print'], spec: { short: 'eprC', long: ['eval', 'print', 'require', `import`, 'loader', 'conditions', 'input-type', 'env-file'] } },
  deno: { code: ['eval'], spec: {} },
  bun: { code: ['e', 'eval', 'p', 'print'], spec: { short: 'epr', long: ['eval', 'print', 'preload', 'cwd'] } },
  python: { code: ['c'], spec: { short: 'cmWXQ' }, module: ['m'] },
  python2: { code: ['c'], spec: { short: 'cmWXQ' }, module: ['m'] },
  python3: { code: ['c'], spec: { short: 'cmWXQ' }, module: ['m'] },
  pypy: { code: ['c'], spec: { short: 'cmWX' }, module: ['m'] },
  pypy3: { code: ['c'], spec: { short: 'cmWX' }, module: ['m'] },
  perl: { code: ['e', 'E'], spec: { short: 'eEIMmlFCdDx' } },
  ruby: { code: ['e'], spec: { short: 'eIrCEFKTWx' } },
  php: { code: ['r'], spec: { short: 'rfcdzBREF' }, module: ['f'] },
  lua: { code: ['e'], spec: { short: 'elW' } },
  osascript: { code: ['e'], spec: { short: 'els' } },
  rscript: { code: ['e'], spec: { short: 'e' } },
  julia: { code: ['e', 'E'], spec: { short: 'eEpLJC' } },
};

/** awk's program is its first operand unless `-f FILE` gives one. */
export const AWKS: ReadonlySet<string> = new Set(['awk', 'gawk', 'mawk', 'nawk']);
export const AWK_OPTIONS: OptionSpec = { short: 'fvF', long: ['file', 'assign', 'field-separator'] };

/** Python's versioned names (python3.12) and similar run the same interpreter. */
export function interpreterOf(name: string): CodeInterpreter | undefined {
  return CODE_INTERPRETERS[name] ?? CODE_INTERPRETERS[name.replace(/[\d.]+$/, '')];
}

/**
 * `eval "$(X)"` runs X's output. For these well-known environment printers that output
 * is shell setup (exports, PATH), so the eval is let through when X itself is analysed.
 */
export const ENV_PRINTERS: ReadonlySet<string> = new Set([
  'ssh-agent', 'direnv', 'pyenv', 'rbenv', 'nodenv', 'goenv', 'jenv', 'fnm', 'brew', 'conda', 'opam',
  'mise', 'rtx', 'starship', 'zoxide', 'keychain', 'dircolors', 'luarocks', 'nvm', 'atuin', 'thefuck', 'gpg-agent',
]);
