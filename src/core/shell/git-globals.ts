import { GIT_VALUE_OPTIONS } from './git-builtins.js';
import type { Word } from './syntax.js';
import { literal } from './words.js';

/**
 * git's own options before the subcommand: `git -C dir -c k=v --git-dir=x push`.
 * Shared by the walker (aliases from `-c alias.x=...`) and the rules.
 */
export interface GitGlobals {
  /** `-C DIR` values, in order: each is relative to the one before. */
  readonly dirs: readonly Word[];
  /** `-c KEY=VALUE` values and `--config-env` names. */
  readonly configs: readonly Word[];
  /** The `--config-env KEY=VAR` ones among them: VALUE is the variable's. */
  readonly configEnvs: readonly Word[];
  /** `--git-dir`, `--work-tree` or `--namespace` given: the repository may not be the one in the directory. */
  readonly elsewhere: boolean;
  /** Index of the subcommand word in argv (argv.length when there is none). */
  readonly index: number;
}

export function gitGlobals(argv: readonly Word[]): GitGlobals {
  const dirs: Word[] = [];
  const configs: Word[] = [];
  const configEnvs: Word[] = [];
  let elsewhere = false;
  let i = 1;
  while (i < argv.length) {
    const t = literal(argv[i] as Word);
    if (t === null || !t.startsWith('-')) break;
    const eq = t.indexOf('=');
    const name = t.startsWith('--') && eq !== -1 ? t.slice(0, eq) : t;
    const value = t.startsWith('--') && eq !== -1 ? litWord(t.slice(eq + 1)) : GIT_VALUE_OPTIONS.has(t) ? argv[++i] : undefined;
    if (name === '-C' && value) dirs.push(value);
    else if ((name === '-c' || name === '--config-env') && value) {
      configs.push(value);
      if (name === '--config-env') configEnvs.push(value);
    }
    else if (name === '--git-dir' || name === '--work-tree' || name === '--namespace') elsewhere = true;
    i++;
  }
  return { dirs, configs, configEnvs, elsewhere, index: i };
}

function litWord(s: string): Word {
  return { parts: [{ t: 'lit', s, quoted: true }], raw: s, subs: [] };
}
