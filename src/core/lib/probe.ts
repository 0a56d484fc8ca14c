import { lstatSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Yes-or-no questions about a path, where "cannot tell" is "no". `l` variants look at
 * a symlink itself (as rm and find do); the others follow it (as the shell's globs do).
 */
export function lexists(path: string): boolean {
  return probe(() => lstatSync(path)) !== null;
}

export function exists(path: string): boolean {
  return probe(() => statSync(path)) !== null;
}

/** A directory, not a link to one. */
export function lisDirectory(path: string): boolean {
  return probe(() => lstatSync(path))?.isDirectory() ?? false;
}

/** A directory, or a link to one. */
export function isDirectory(path: string): boolean {
  return probe(() => statSync(path))?.isDirectory() ?? false;
}

/** Exists, following links, and is not a directory. */
export function isNonDirectory(path: string): boolean {
  const st = probe(() => statSync(path));
  return st !== null && !st.isDirectory();
}

function probe<T>(stat: () => T): T | null {
  try {
    return stat();
  } catch {
    return null;
  }
}

/**
 * Where a path really leads: symlinks resolved, or, for a path that does not exist yet,
 * its directory's resolved and its own name kept. Null when neither exists.
 */
export function realPathOrParent(path: string): string | null {
  try {
    return realpathSync.native(path);
  } catch {
    try {
      return join(realpathSync.native(dirname(path)), basename(path));
    } catch {
      return null;
    }
  }
}
