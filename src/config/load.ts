import { userInfo } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { realpathSync } from 'node:fs';
import { cosmiconfig, type Loader } from 'cosmiconfig';
import type { GuardConfig } from '../core/config.js';
import { CONFIG_SEARCH_PLACES, discoverConfig } from '../core/config-snapshot.js';
import { GuardError } from '../core/errors.js';
import { findMainWorkTree, findProjectRoot } from '../core/lib/project.js';
import { resolveEmail } from './email.js';
import { ConfigError, describeIssue } from './errors.js';
import { type ParsedConfig, configSchema } from './schema.js';

/**
 * Find, validate and resolve the configuration. Search order, in each directory from
 * the working directory up to the project root, then (in a linked worktree) the main
 * work tree's root, then ~/.config/theguard/: .theguard.json, package.json ("theguard"
 * key), .theguardrc[.json|.yaml|.yml], .config/theguardrc[...]. The search is
 * discoverConfig's, the one the Claude Code hook uses; cosmiconfig parses the file.
 * Config files that are code (.js, .ts, ...) are refused: a guard must not run code
 * from the project it guards.
 */
/** The same list the Claude Code hook searches with (src/core/config-snapshot.ts), so both find the same file. */
export const SEARCH_PLACES: string[] = [...CONFIG_SEARCH_PLACES];

const refuseCode: Loader = (filepath) => {
  throw new ConfigError(filepath, [
    `${filepath} is a code file. theguard never runs code from the project as configuration (an agent can write project files). Fix: move the settings to .theguard.json.`,
  ]);
};

export interface LoadedConfig {
  readonly config: GuardConfig;
  /** The file the settings came from, or null when running on the embedded defaults. */
  readonly file: string | null;
  readonly root: string;
}

export interface LoadOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Load this file instead of searching. */
  readonly file?: string;
  /** Use this object instead of any file (library callers). */
  readonly inline?: unknown;
}

export async function loadConfig(opts: LoadOptions = {}): Promise<LoadedConfig> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const env = opts.env ?? process.env;
  const root = findProjectRoot(cwd);
  let raw: unknown = {};
  let file: string | null = null;
  if (opts.inline !== undefined) {
    raw = opts.inline;
  } else {
    const explorer = cosmiconfig('theguard', {
      searchPlaces: SEARCH_PLACES,
      loaders: { '.js': refuseCode, '.cjs': refuseCode, '.mjs': refuseCode, '.ts': refuseCode },
      cache: false,
    });
    const path = opts.file ? resolve(cwd, opts.file) : discoverConfig(cwd, root, env).path;
    try {
      const found = path === null ? null : await explorer.load(path);
      if (found && !found.isEmpty) {
        raw = found.config;
        file = found.filepath;
      }
    } catch (err) {
      if (err instanceof GuardError) throw err;
      const msg = (err as Error).message;
      throw new ConfigError(path, [`${msg.split('\n')[0]}. Fix: correct the syntax of that file (it must be JSON or YAML).`]);
    }
  }
  return { config: validateConfig(raw, { root, env, file }), file, root };
}

/** Validate with zod, then resolve paths and defaults that depend on the machine. */
export function validateConfig(raw: unknown, ctx: { root: string; env: NodeJS.ProcessEnv; file: string | null }): GuardConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(ctx.file, ['the configuration must be a JSON object. Fix: wrap the settings in { }.']);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(ctx.file, parsed.error.issues.map((i) => describeIssue(i, raw)));
  return resolveConfig(parsed.data, ctx);
}

function resolveConfig(p: ParsedConfig, ctx: { root: string; env: NodeJS.ProcessEnv; file: string | null }): GuardConfig {
  const home = ctx.env.HOME && isAbsolute(ctx.env.HOME) ? ctx.env.HOME : userInfo().homedir;
  const expand = (v: string): string => (v === '~' || v.startsWith('~/') ? join(home, v.slice(1)) : v);
  // Linked worktrees keep their state in the main work tree, so one `theguard verify` serves all.
  const base = findMainWorkTree(ctx.root);
  const realRoot = real(base);

  const { email, problems } = resolveEmail(p.email, { root: base, realRoot, env: ctx.env, expand, real });
  if (problems.length) throw new ConfigError(ctx.file, problems);

  return {
    email,
    emailFallback: p.emailFallback,
    stateDir: resolve(base, expand(p.stateDir)),
    grantTtlSeconds: p.grantTtlSeconds,
    push: p.push,
    delete: p.delete,
    rules: p.rules,
    mcpDefault: p.mcpDefault,
    rateLimit: p.rateLimit,
  };
}

/** realpath of the longest existing prefix, so not-yet-created paths still compare correctly. */
function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    const parent = dirname(p);
    return parent === p ? p : join(real(parent), p.slice(parent.length + (parent.endsWith('/') ? 0 : 1)));
  }
}
