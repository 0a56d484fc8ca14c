import { homedir, tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { GuardConfig, Rule, RuleAction } from '../config.js';
import { DEFAULTS } from '../config.js';
import { userConfigDir, userStateDir } from '../lib/paths.js';
import { findProjectRoot } from '../lib/project.js';
import { type ReadFile, readSmallFile } from '../shell/script-files.js';

/**
 * Everything a decision depends on besides the tool call itself. The hook builds one
 * per call with decisionContext(); tests build them by hand.
 */
export interface DecisionContext {
  /** The tool call's working directory (Claude Code's `cwd`). */
  readonly cwd: string;
  readonly projectRoot: string;
  readonly home: string;
  /** Absolute state dir (config `stateDir`). */
  readonly stateDir: string;
  /**
   * `$XDG_CONFIG_HOME/theguard` (the pepper and the user-level config) and the default
   * `~/.config/theguard`: both, since a command can change XDG_CONFIG_HOME for itself.
   */
  readonly userConfigDirs: readonly string[];
  /** `$XDG_STATE_HOME/theguard` and the configured `email.outbox`. */
  readonly outboxDirs: readonly string[];
  readonly apiKeyFile?: string | undefined;
  /** `$XDG_CONFIG_HOME` (git reads `git/config` below it). */
  readonly xdgConfigHome: string;
  /** Directories `core.hooksPath` points at, if the caller knows them. */
  readonly hooksPaths: readonly string[];
  /** Branch globs for `git branch -D` and push tiers, e.g. ["main", "master", "release/**"]. */
  readonly protectedBranches: readonly string[];
  /** Config `rules`. */
  readonly rules: readonly Rule[];
  readonly mcpDefault: RuleAction;
  /**
   * Whether theguard's pre-push hook is installed, so pushes are left to it. A function
   * is asked with the repository directory a push runs in; a boolean applies to the
   * project only, and a push from another directory is gated here. `checkoutChanges`:
   * the same line also rewrites the checkout (decide/bash.ts says why that matters).
   */
  readonly prePushHook: boolean | ((repoDir: string, checkoutChanges: boolean) => boolean);
  /** Absolute paths of theguard's own CLI scripts (`node …/dist/cli.js verify` is `theguard verify`). */
  readonly cliPaths: readonly string[];
  /** System temp dirs, below which `rm -rf` is routine. */
  readonly tempDirs: readonly string[];
  /** Environment values `$NAME` may resolve to in commands (HOME, XDG_*, TMPDIR, USER, GIT_CONFIG_*). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readFile: ReadFile;
}

export const DEFAULT_PROTECTED_BRANCHES: readonly string[] = ['main', 'master', 'release/**'];

export interface ContextOptions {
  readonly cwd: string;
  readonly config: Pick<GuardConfig, 'stateDir' | 'rules'> & Partial<Pick<GuardConfig, 'mcpDefault' | 'email'>>;
  readonly projectRoot?: string | undefined;
  readonly env?: NodeJS.ProcessEnv | undefined;
  readonly protectedBranches?: readonly string[] | undefined;
  readonly prePushHook?: DecisionContext['prePushHook'] | undefined;
  readonly hooksPaths?: readonly string[] | undefined;
  readonly cliPaths?: readonly string[] | undefined;
  readonly readFile?: ReadFile | undefined;
  readonly tempDirs?: readonly string[] | undefined;
}

/** Fill a context from a resolved config and the environment: no I/O beyond stat calls. */
export function decisionContext(o: ContextOptions): DecisionContext {
  const env = o.env ?? process.env;
  const home = env.HOME && isAbsolute(env.HOME) ? env.HOME : homedir();
  const xdgConfigHome = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(home, '.config');
  const cwd = resolve(o.cwd);
  const outbox = o.config.email?.outbox;
  const stateHome = userStateDir(env);
  return {
    cwd,
    projectRoot: o.projectRoot ?? findProjectRoot(cwd),
    home,
    stateDir: o.config.stateDir,
    userConfigDirs: [...new Set([userConfigDir(env), join(home, '.config', 'theguard')])],
    // The default ~/.local/state/theguard too: a command can change XDG_STATE_HOME for itself.
    outboxDirs: [...new Set([stateHome, join(home, '.local', 'state', 'theguard'), ...(outbox && outbox !== join(stateHome, 'outbox') ? [outbox] : [])])],
    apiKeyFile: o.config.email?.apiKeyFile,
    xdgConfigHome,
    hooksPaths: o.hooksPaths ?? [],
    protectedBranches: o.protectedBranches ?? DEFAULT_PROTECTED_BRANCHES,
    rules: o.config.rules,
    mcpDefault: o.config.mcpDefault ?? DEFAULTS.mcpDefault,
    prePushHook: o.prePushHook ?? false,
    cliPaths: o.cliPaths ?? [],
    tempDirs: o.tempDirs ?? [...new Set(['/tmp', '/var/tmp', '/private/tmp', tmpdir()])],
    env: {
      HOME: home, XDG_CONFIG_HOME: env.XDG_CONFIG_HOME, XDG_STATE_HOME: env.XDG_STATE_HOME, TMPDIR: env.TMPDIR, USER: env.USER,
      // Where git reads its configuration, and configuration given in the environment (git aliases are looked up there).
      GIT_CONFIG_GLOBAL: env.GIT_CONFIG_GLOBAL, GIT_CONFIG_SYSTEM: env.GIT_CONFIG_SYSTEM, GIT_CONFIG_PARAMETERS: env.GIT_CONFIG_PARAMETERS, GIT_CONFIG_COUNT: env.GIT_CONFIG_COUNT,
    },
    readFile: o.readFile ?? readSmallFile,
  };
}
