import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { errnoCode } from '../errors.js';
import { commandName } from './command-name.js';
import { SHELLS } from './interpreters.js';
import { SHELL_LIMITS } from './limits.js';

/**
 * Reading a file a command would run or feed to a database (`bash deploy.sh`,
 * `psql < drop.sql`). Opened non-blocking and checked to be a regular file, so a FIFO
 * or a device cannot stall the hook; bounded in size.
 */
export type FileRead =
  | { readonly kind: 'ok'; readonly text: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'unreadable'; readonly why: string };

export type ReadFile = (path: string) => FileRead;

export const readSmallFile: ReadFile = (path) => {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = errnoCode(err);
    return code === 'ENOENT' || code === 'ENOTDIR' ? { kind: 'missing' } : { kind: 'unreadable', why: `it cannot be opened (${code ?? 'error'})` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { kind: 'unreadable', why: 'it is not a regular file' };
    if (st.size > SHELL_LIMITS.maxScriptBytes) return { kind: 'unreadable', why: `it is ${st.size} bytes; theguard reads at most ${SHELL_LIMITS.maxScriptBytes}` };
    const buf = Buffer.alloc(st.size);
    let len = 0;
    while (len < buf.length) {
      const n = readSync(fd, buf, len, buf.length - len, null);
      if (n === 0) break;
      len += n;
    }
    return { kind: 'ok', text: buf.subarray(0, len).toString('utf8') };
  } catch (err) {
    return { kind: 'unreadable', why: `it cannot be read (${errnoCode(err) ?? 'error'})` };
  } finally {
    closeSync(fd);
  }
};

/** The first bytes of a regular file (to tell a shell script from a program), or null. */
export function readHead(path: string, bytes: number): Buffer | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return null;
  }
  try {
    if (!fstatSync(fd).isFile()) return null;
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** Where the system keeps its own programs: running one by path is not running a script the agent wrote. */
export const SYSTEM_DIRS = /^\/(usr|bin|sbin|lib|lib32|lib64|libexec|etc|opt|nix|snap|System|Library|Applications)\//;

/**
 * Whether running this file by path runs shell code theguard reads: a shell shebang, or
 * text with none (the kernel hands those to sh). Programs, scripts in other languages
 * and files under system directories are not read.
 */
export function isShellScript(path: string): boolean {
  if (SYSTEM_DIRS.test(path)) return false;
  const start = readHead(path, 256);
  if (start === null || start.includes(0) || start[0] === 0x7f) return false;
  const text = start.toString('latin1');
  if (!text.startsWith('#!')) return true;
  const words = text.slice(2).split('\n')[0]?.trim().split(/\s+/) ?? [];
  let interp = commandName(words[0] ?? '');
  if (interp === 'env') interp = commandName(words.slice(1).find((w) => !w.startsWith('-') && !w.includes('=')) ?? '');
  return SHELLS.has(interp);
}
