import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * XDG base directories. A relative XDG_* value is ignored, as the XDG spec says,
 * so a stray relative path can never put the pepper inside a project.
 */
function xdg(name: 'XDG_CONFIG_HOME' | 'XDG_STATE_HOME', fallback: string[], env: NodeJS.ProcessEnv): string {
  const v = env[name];
  if (v && isAbsolute(v)) return v;
  return join(env.HOME && isAbsolute(env.HOME) ? env.HOME : homedir(), ...fallback);
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
