import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * XDG base directories. A relative XDG_* value is ignored, as the XDG spec says,
 * so a stray relative path can never put the pepper inside a project.
 */
function xdg(name: 'XDG_CONFIG_HOME' | 'XDG_STATE_HOME', fallback: string[], env: NodeJS.ProcessEnv): string {
  const v = env[name];
  if (v && isAbsolute(v)) return v;
  return join(homeDir(env), ...fallback);
}

export function userConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(xdg('XDG_CONFIG_HOME', ['.config'], env), 'theguard');
}

export function userStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(xdg('XDG_STATE_HOME', ['.local', 'state'], env), 'theguard');
}

export function defaultPepperPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(userConfigDir(env), 'pepper');
}

export function defaultOutboxDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(userStateDir(env), 'outbox');
}

/** True when `child` is `parent` or lies beneath it (lexically; resolve symlinks first if it matters). */
export function isInside(child: string, parent: string): boolean {
  const rel = relative(resolve(parent), resolve(child));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && rel.split(sep)[0] !== '..');
}

/** The user's home directory, as the XDG fallbacks see it. */
export function homeDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOME && isAbsolute(env.HOME) ? env.HOME : homedir();
}

/** realpath of the longest existing prefix, so a path not created yet still compares through symlinks. */
export function realPrefix(p: string): string {
  const abs = resolve(p);
  try {
    return realpathSync(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(realPrefix(parent), abs.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
  }
}
