import { createHmac, randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { GuardError } from './errors.js';
import { defaultPepperPath, homeDir, isInside, realPrefix } from './lib/paths.js';
import { findMainWorkTree } from './lib/project.js';
import { createFileExclusive, ensurePrivateDir, readPrivateFile, UnsafeFileError } from './lib/safe-fs.js';

/**
 * The pepper: 32 random bytes in the user's config dir, never in the project.
 * A verifier in the project's state dir is useless without it, and every state
 * file is sealed with a key derived from it, so a hand-written grant is rejected.
 */
export const PEPPER_BYTES = 32;

export interface Keys {
  /** Mixed into every code before scrypt. */
  readonly pepper: Buffer;
  /** Seals state files and audit lines (HMAC-SHA256). */
  readonly macKey: Buffer;
  /** A short public name for this pepper, so `status` can tell two peppers apart. */
  readonly keyId: string;
  readonly path: string;
}

function derive(pepper: Buffer, label: string): Buffer {
  return createHmac('sha256', pepper).update(`theguard/v1/${label}`).digest();
}

/**
 * Load the pepper, creating it on first use. Concurrent first uses agree on one pepper.
 * With `projectRoot`, a pepper inside the project (or inside the main work tree of a
 * linked worktree) is refused before anything is read or created there.
 */
export function loadKeys(path: string = defaultPepperPath(), opts: { projectRoot?: string | undefined } = {}): Keys {
  if (opts.projectRoot !== undefined) refuseInsideProject(path, opts.projectRoot);
  let pepper = readPepper(path);
  if (!pepper) {
    try {
      ensurePrivateDir(dirname(path));
    } catch (err) {
      throw new GuardError('state', `cannot prepare the pepper directory ${dirname(path)}: ${(err as Error).message}`,
        'make it a real directory owned by you with mode 700', { cause: err });
    }
    // If another process created it first, ours is discarded and theirs is read back.
    createFileExclusive(path, randomBytes(PEPPER_BYTES));
    pepper = readPepper(path);
    if (!pepper) throw new GuardError('state', `the pepper at ${path} vanished while it was being created`, 'run the command again');
  }
  return {
    pepper,
    macKey: derive(pepper, 'state-mac'),
    keyId: derive(pepper, 'key-id').subarray(0, 6).toString('hex'),
    path,
  };
}

function readPepper(path: string): Buffer | null {
  let buf: Buffer | null;
  try {
    buf = readPrivateFile(path, 1024, { requirePrivateMode: true });
  } catch (err) {
    if (err instanceof UnsafeFileError) {
      const fix =
        err.reason === 'loose-mode' ? `run: chmod 600 ${path}` : `remove ${path} in your own terminal; theguard makes a new one (pending codes then stop working)`;
      throw new GuardError('state', `the pepper file is unusable: ${err.message}`, fix, { cause: err });
    }
    throw new GuardError('state', `cannot read the pepper at ${path}: ${(err as Error).message}`, 'check the permissions of your config directory', { cause: err });
  }
  if (buf === null) return null;
  if (buf.length !== PEPPER_BYTES) {
    throw new GuardError('state', `the pepper at ${path} is ${buf.length} bytes, not ${PEPPER_BYTES}: it is corrupt or was replaced`,
      `remove ${path} in your own terminal; theguard makes a new one (pending codes then stop working)`);
  }
  return buf;
}

/**
 * The pepper must never be in the project: the agent works there, and whatever is there
 * can be read by it, or committed. XDG_CONFIG_HOME or HOME pointing into the project
 * (`XDG_CONFIG_HOME=$PWD/cfg`) would put it there, so that is refused, through symlinks
 * too. One exception: a project whose root holds the home directory (a dotfiles repository
 * at ~) contains ~/.config by nature; refusing there would refuse every pepper.
 */
function refuseInsideProject(path: string, projectRoot: string): void {
  const pepper = realPrefix(path);
  const home = realPrefix(homeDir());
  for (const root of new Set([projectRoot, findMainWorkTree(projectRoot)])) {
    const realRoot = realPrefix(root);
    if (!isInside(pepper, realRoot) && !isInside(path, root)) continue;
    if (isInside(home, realRoot)) continue;
    throw new GuardError('config', `the pepper ${path} would be inside the project ${root}, where the agent works and could read it or commit it`,
      `keep it outside the project: unset XDG_CONFIG_HOME (theguard then uses ~/.config/theguard/pepper), or set XDG_CONFIG_HOME (and HOME) to a directory outside ${root}`);
  }
}
