import { commandName } from './command-name.js';
import { SHELL_LIMITS } from './limits.js';
import { type OptionSpec, has, litWord, scanAll, scanOptions } from './options.js';
import type { Part, Word } from './syntax.js';
import { literal } from './words.js';

/**
 * Commands that run another command: `sudo git push` is a git push. Each entry peels
 * one layer and says what it changes on the way (environment, directory), or that it
 * runs a shell string (`watch 'cmd'`, `npx -c 'cmd'`) the walker must analyse in turn.
 */
export interface EnvChange {
  readonly name: string;
  /** null: the variable is removed (`env -u NAME`). */
  readonly value: Word | null;
}

export interface Unwrapped {
  readonly argv: readonly Word[];
  readonly wrappers: readonly string[];
  readonly env: readonly EnvChange[];
  /** `env -C DIR`, `sudo -D DIR`: the command runs there. */
  readonly chdir: Word | null;
  /** A wrapper that hands a string to a shell: the words are joined, then parsed. */
  readonly script: { readonly words: readonly Word[]; readonly via: string } | null;
  /** `xargs`, `parallel`: more arguments arrive on stdin. */
  readonly argsFromStdin: boolean;
  /** `xargs -a FILE`: they come from this file instead. */
  readonly argsFile: Word | null;
  /** `command -v git`, `sudo -l`: a lookup that runs nothing. */
  readonly runsNothing: boolean;
}

interface Step {
  readonly rest: readonly Word[];
  readonly env?: readonly EnvChange[];
  readonly chdir?: Word | null;
  readonly script?: { readonly words: readonly Word[]; readonly via: string } | null;
  readonly argsFromStdin?: boolean;
  readonly argsFile?: Word | null;
  readonly runsNothing?: boolean;
}

type Peel = (argv: readonly Word[]) => Step;

export { commandName };

const NAME_EQ = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** Leading `NAME=value` words, as env and sudo accept them. */
function assignmentsAt(argv: readonly Word[], i: number): { env: EnvChange[]; index: number } {
  const env: EnvChange[] = [];
  while (i < argv.length) {
    const w = argv[i] as Word;
    const first = w.parts[0];
    if (!first || first.t !== 'lit' || !NAME_EQ.test(first.s)) break;
    const eq = first.s.indexOf('=');
    const restParts = [{ t: 'lit' as const, s: first.s.slice(eq + 1), quoted: first.quoted }, ...w.parts.slice(1)];
    env.push({ name: first.s.slice(0, eq), value: { parts: restParts, raw: w.raw.slice(w.raw.indexOf('=') + 1), subs: w.subs } });
    i++;
  }
  return { env, index: i };
}

function simple(spec: OptionSpec): Peel {
  return (argv) => ({ rest: argv.slice(scanOptions(argv, 1, spec).index) });
}

const sudo: Peel = (argv) => {
  const scan = scanOptions(argv, 1, {
    short: 'ughpCDrtUT',
    long: ['user', 'group', 'host', 'prompt', 'close-from', 'chdir', 'role', 'type', 'other-user', 'command-timeout'],
  });
  if (has(scan, 'e', 'edit')) return { rest: [litWord('sudoedit'), ...argv.slice(scan.index)] };
  const { env, index } = assignmentsAt(argv, scan.index);
  const chdir = scan.values.get('D')?.[0] ?? scan.values.get('chdir')?.[0] ?? null;
  const rest = argv.slice(index);
  return { rest, env, chdir, runsNothing: rest.length === 0 };
};

const env: Peel = (argv) => {
  const scan = scanOptions(argv, 1, { short: 'uCSP', long: ['unset', 'chdir', 'split-string', 'argv0', 'default-signal', 'ignore-signal', 'block-signal'] });
  const unset = [...(scan.values.get('u') ?? []), ...(scan.values.get('unset') ?? [])].map((w) => ({ name: literal(w) ?? '?', value: null }));
  const { env: set, index } = assignmentsAt(argv, scan.index);
  const chdir = scan.values.get('C')?.[0] ?? scan.values.get('chdir')?.[0] ?? null;
  const split = scan.values.get('S')?.[0] ?? scan.values.get('split-string')?.[0];
  // `env -S 'git push --force'` splits its string into words: hand it to the shell parser.
  if (split) return { rest: [], env: [...unset, ...set], chdir, script: { words: [split, ...argv.slice(index)], via: 'env -S' } };
  return { rest: argv.slice(index), env: [...unset, ...set], chdir, runsNothing: argv.length === index };
};

const command: Peel = (argv) => {
  const scan = scanOptions(argv, 1, {});
  if (has(scan, 'v', 'V')) return { rest: [], runsNothing: true };
  return { rest: argv.slice(scan.index) };
};

const timeout: Peel = (argv) => {
  const scan = scanOptions(argv, 1, { short: 'sk', long: ['signal', 'kill-after'] });
  return { rest: argv.slice(scan.index + 1) };
};

/**
 * `xargs CMD ARGS`: CMD runs with more arguments read from stdin, appended, or put where
 * the `-I` string stands. They are unknown words here (`echo destroy | xargs terraform`
 * is `terraform "$X"`); the walker adds the known ones when it can read stdin.
 * `--eof`, `--replace` and `--max-lines` take a value only after `=`.
 */
const xargs: Peel = (argv) => {
  const scan = scanOptions(argv, 1, {
    short: 'EILnPsda',
    long: ['max-args', 'max-procs', 'max-chars', 'delimiter', 'arg-file', 'process-slot-var'],
  });
  const rest = argv.slice(scan.index);
  const cmd = rest.length > 0 ? rest : [litWord('echo')];
  const marker = replaceString(argv.slice(1, scan.index), scan.values.get('I')?.[0]);
  const argsFile = scan.values.get('a')?.[0] ?? scan.values.get('arg-file')?.[0] ?? null;
  const withArgs = marker === null ? [...cmd, stdinArg()] : cmd.map((w) => replaced(w, marker));
  return { rest: withArgs, argsFromStdin: true, argsFile };
};

/** The `-I R`, `-i[R]` or `--replace[=R]` string, or null when arguments are appended. */
function replaceString(options: readonly Word[], given: Word | undefined): string | null {
  if (given) return literal(given) ?? '{}';
  for (const w of options) {
    const t = literal(w) ?? '';
    const long = /^--([a-z-]+)(=(.*))?$/.exec(t);
    if (long && 'replace'.startsWith(long[1] as string)) return long[3] || '{}';
    if (/^-i/.test(t)) return t.slice(2) || '{}';
  }
  return null;
}

/** What stands for one argument xargs or parallel reads from stdin. */
export const FROM_STDIN = 'an argument read from stdin';

function stdinArg(): Word {
  return { parts: [{ t: 'dyn', what: FROM_STDIN }], raw: '{stdin}', subs: [] };
}

/** The word with each literal occurrence of the marker made an argument from stdin. */
function replaced(w: Word, marker: string): Word {
  if (marker === '' || !w.parts.some((p) => p.t === 'lit' && p.s.includes(marker))) return w;
  const parts = w.parts.flatMap((p): Part[] => {
    if (p.t !== 'lit' || !p.s.includes(marker)) return [p];
    return p.s.split(marker).flatMap((s, k): Part[] => [...(k > 0 ? [{ t: 'dyn' as const, what: FROM_STDIN }] : []), ...(s ? [{ ...p, s }] : [])]);
  });
  return { ...w, parts };
}

/** `flock [opts] FILE CMD...` or `flock [opts] FILE -c 'CMD'` (the -c may follow the file). */
const flock: Peel = (argv) => {
  const spec = { short: 'wEc', long: ['timeout', 'conflict-exit-code', 'command'] };
  const all = scanAll(argv, 1, spec);
  const cmd = all.values.get('c') ?? all.values.get('command');
  if (cmd) return { rest: [], script: { words: cmd, via: 'flock -c' } };
  return { rest: argv.slice(scanOptions(argv, 1, spec).index + 1) };
};

const watch: Peel = (argv) => {
  const scan = scanOptions(argv, 1, { short: 'nq', long: ['interval', 'equexit'] });
  const rest = argv.slice(scan.index);
  if (has(scan, 'x', 'exec')) return { rest };
  return { rest: [], script: { words: rest, via: 'watch' } };
};

/** `npx [opts] PKG[@version] args`, `npx -c 'cmd'`, and the same after `npm exec`. */
const npx: Peel = (argv) => {
  const scan = scanOptions(argv, 1, { short: 'pc', long: ['package', 'call', 'cache', 'registry', 'userconfig', 'workspace'] });
  const call = scan.values.get('c') ?? scan.values.get('call');
  if (call) return { rest: [], script: { words: call, via: 'npx -c' } };
  const rest = argv.slice(scan.index);
  const head = rest[0] ? literal(rest[0]) : null;
  if (head === null) return { rest };
  return { rest: [litWord(packageBin(head)), ...rest.slice(1)] };
};

/** `theguard@1.2.0` -> `theguard`; `@scope/tool@latest` -> `tool`. */
function packageBin(spec: string): string {
  const at = spec.lastIndexOf('@');
  const bare = at > 0 ? spec.slice(0, at) : spec;
  return bare.startsWith('@') ? bare.slice(bare.indexOf('/') + 1) : bare;
}

/** `npm exec`, `pnpm exec|dlx`, `yarn exec|dlx`, `bun x`: run a package binary like npx. */
const packageRunner: Peel = (argv) => {
  const sub = argv[1] ? literal(argv[1]) : null;
  if (sub === 'exec' || sub === 'x' || sub === 'dlx') return npx(argv.slice(1));
  return { rest: argv, runsNothing: false };
};

const su: Peel = (argv) => {
  const scan = scanOptions(argv, 1, { short: 'cgGsw', long: ['command', 'group', 'supp-group', 'shell', 'whitelist-environment'] });
  const cmd = scan.values.get('c') ?? scan.values.get('command');
  if (cmd) return { rest: [], script: { words: cmd, via: 'su -c' } };
  return { rest: [], runsNothing: true };
};

const script: Peel = (argv) => {
  const scan = scanOptions(argv, 1, { short: 'cEIOTBm', long: ['command', 'echo', 'log-in', 'log-out', 'log-timing', 'logging-format'] });
  const cmd = scan.values.get('c') ?? scan.values.get('command');
  return cmd ? { rest: [], script: { words: cmd, via: 'script -c' } } : { rest: [], runsNothing: true };
};

/**
 * `parallel CMD ::: inputs`: the command runs with arguments the analyser does not
 * expand, in place of `{}`, `{.}`, `{/}`, `{1}`, ... or appended.
 */
const parallel: Peel = (argv) => {
  const scan = scanOptions(argv, 1, { short: 'jSaIdE', long: ['jobs', 'sshlogin', 'arg-file', 'delimiter', 'joblog', 'results', 'tmpdir', 'workdir'] });
  const rest: Word[] = [];
  for (const w of argv.slice(scan.index)) {
    const t = literal(w);
    if (t === ':::' || t === '::::' || t === ':::+') break;
    rest.push(w);
  }
  if (rest.length === 0) return { rest, argsFromStdin: true };
  const slots = rest.some((w) => w.parts.some((p) => p.t === 'lit' && PARALLEL_SLOT.test(p.s)));
  return { rest: slots ? rest.map(parallelSlots) : [...rest, stdinArg()], argsFromStdin: true };
};

const PARALLEL_SLOT = /\{\d*(\.|\/\/|\/\.|\/|#|%)?\}/;

function parallelSlots(w: Word): Word {
  if (!w.parts.some((p) => p.t === 'lit' && PARALLEL_SLOT.test(p.s))) return w;
  return { ...w, parts: w.parts.map((p): Part => (p.t === 'lit' && PARALLEL_SLOT.test(p.s) ? { t: 'dyn', what: FROM_STDIN } : p)) };
}

/** `taskset [opts] MASK CMD`, `taskset -c LIST CMD`; `taskset -p ...` changes a running process. */
const taskset: Peel = (argv) => {
  const scan = scanOptions(argv, 1, {});
  if (has(scan, 'p', 'pid')) return { rest: [], runsNothing: true };
  return { rest: argv.slice(scan.index + 1) };
};

/** `chrt [opts] PRIORITY CMD`; `chrt -p` and `chrt -m` run nothing. */
const chrt: Peel = (argv) => {
  const scan = scanOptions(argv, 1, { short: 'TPD', long: ['sched-runtime', 'sched-period', 'sched-deadline'] });
  if (has(scan, 'p', 'pid', 'm', 'max')) return { rest: [], runsNothing: true };
  return { rest: argv.slice(scan.index + 1) };
};

/** `unshare [opts] [CMD]`: `-w DIR` (`--wd`) moves it. */
const unshare: Peel = (argv) => {
  const scan = scanOptions(argv, 1, { short: 'SGRw', long: ['setuid', 'setgid', 'root', 'wd', 'map-user', 'map-group', 'map-users', 'map-groups', 'propagation', 'setgroups'] });
  const chdir = scan.values.get('w')?.[0] ?? scan.values.get('wd')?.[0] ?? null;
  return { rest: argv.slice(scan.index), chdir };
};

/** `systemd-run [opts] CMD`: the command runs as a transient unit. */
const systemdRun: Peel = (argv) => {
  const scan = scanOptions(argv, 1, {
    short: 'upEHM',
    long: ['unit', 'property', 'description', 'slice', 'setenv', 'uid', 'gid', 'nice', 'working-directory', 'host', 'machine', 'service-type', 'on-active', 'on-boot', 'on-startup', 'on-unit-active', 'on-unit-inactive', 'on-calendar', 'on-timezone-change', 'on-clock-change', 'timer-property', 'path-property', 'socket-property', 'expand-environment', 'json'],
  });
  const chdir = scan.values.get('working-directory')?.[0] ?? null;
  return { rest: argv.slice(scan.index), chdir };
};

/**
 * `tmux [opts] new-session|new-window|split-window|respawn-pane|run-shell|display-popup
 * [opts] CMD...`, and `tmux -c CMD`: tmux hands the command to a shell (several words
 * are joined, or run as they are: parsing the joined text covers both).
 */
const TMUX_RUNS: Readonly<Record<string, string>> = {
  'new-session': 'cefnstxy', new: 'cefnstxy', 'new-window': 'cenFt', neww: 'cenFt', 'split-window': 'celFpt', splitw: 'celFpt',
  'respawn-pane': 'cet', respawnp: 'cet', 'respawn-window': 'cet', respawnw: 'cet', 'run-shell': 'cdt', run: 'cdt',
  'display-popup': 'bcdehsStTwxy', popup: 'bcdehsStTwxy',
};
const tmux: Peel = (argv) => {
  const top = scanOptions(argv, 1, { short: 'cfLST' });
  const cmd = top.values.get('c');
  if (cmd) return { rest: [], script: { words: cmd, via: 'tmux -c' } };
  const sub = argv[top.index] ? literal(argv[top.index] as Word) : null;
  const letters = sub === null ? undefined : TMUX_RUNS[sub];
  if (letters === undefined) return { rest: [], runsNothing: true };
  const scan = scanOptions(argv, top.index + 1, { short: letters });
  const words = argv.slice(scan.index);
  if (words.length === 0) return { rest: [], runsNothing: true };
  const chdir = (sub as string).startsWith('run') ? null : (scan.values.get('c')?.[0] ?? null);
  return { rest: [], chdir, script: { words, via: `tmux ${sub}` } };
};

/** `screen [-dm] [-S NAME] CMD ARGS`: the program runs in a new session. */
const screen: Peel = (argv) => {
  const scan = scanOptions(argv, 1, { short: 'cehpsSTtX', long: ['Logfile'] });
  if (has(scan, 'X', 'r', 'R', 'x', 'ls', 'list', 'wipe', 'Q', 'v')) return { rest: [], runsNothing: true };
  return { rest: argv.slice(scan.index), runsNothing: scan.index >= argv.length };
};

/** `chroot [opts] NEWROOT CMD`: the command starts at NEWROOT, whose paths it then sees. */
const chroot: Peel = (argv) => {
  const scan = scanOptions(argv, 1, { long: ['userspec', 'groups'] });
  const root = argv[scan.index];
  if (!root) return { rest: [], runsNothing: true };
  return { rest: argv.slice(scan.index + 1), chdir: has(scan, 'skip-chdir') ? null : root };
};

const WRAPPERS: Readonly<Record<string, Peel>> = {
  sudo,
  doas: simple({ short: 'uC' }),
  env,
  command,
  builtin: simple({}),
  exec: simple({ short: 'a' }),
  nice: simple({ short: 'n', long: ['adjustment'], numericFlags: true }),
  nohup: simple({}),
  timeout,
  gtimeout: timeout,
  time: simple({ short: 'fo', long: ['format', 'output'] }),
  xargs,
  gxargs: xargs,
  stdbuf: simple({ short: 'ioe', long: ['input', 'output', 'error'] }),
  ionice: simple({ short: 'cnpPu', long: ['class', 'classdata', 'pid', 'pgid', 'uid'] }),
  setsid: simple({}),
  chronic: simple({}),
  unbuffer: simple({}),
  caffeinate: simple({ short: 'wt' }),
  nocache: simple({}),
  torsocks: simple({}),
  proxychains: simple({ short: 'f' }),
  proxychains4: simple({ short: 'f' }),
  busybox: simple({}),
  flock,
  watch,
  npx,
  bunx: npx,
  pnpx: npx,
  npm: packageRunner,
  pnpm: packageRunner,
  yarn: packageRunner,
  bun: packageRunner,
  su,
  runuser: su,
  script,
  parallel,
  taskset,
  chrt,
  unshare,
  'systemd-run': systemdRun,
  tmux,
  screen,
  chroot,
};

export function unwrap(words: readonly Word[]): Unwrapped {
  let argv = words;
  const wrappers: string[] = [];
  const env: EnvChange[] = [];
  let chdir: Word | null = null;
  let argsFromStdin = false;
  let argsFile: Word | null = null;
  for (let n = 0; n < SHELL_LIMITS.maxWrappers && argv.length > 0; n++) {
    const head = literal(argv[0] as Word);
    if (head === null) break;
    const name = commandName(head);
    const peel = WRAPPERS[name];
    if (!peel) break;
    const step = peel(argv);
    if (step.rest === argv) break;
    wrappers.push(name);
    env.push(...(step.env ?? []));
    chdir = step.chdir ?? chdir;
    if (step.script || step.runsNothing) {
      return { argv: step.rest, wrappers, env, chdir, script: step.script ?? null, argsFromStdin, argsFile, runsNothing: step.runsNothing ?? false };
    }
    argv = step.rest;
    argsFromStdin ||= step.argsFromStdin ?? false;
    argsFile = step.argsFile ?? argsFile;
  }
  return { argv, wrappers, env, chdir, script: null, argsFromStdin, argsFile, runsNothing: argv.length === 0 && wrappers.length > 0 };
}
