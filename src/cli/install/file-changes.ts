import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmdirSync, symlinkSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname } from 'node:path';
import { errnoCode } from '../../core/errors.js';
import { safeUnlink, writeFileAtomic } from '../../core/lib/safe-fs.js';
import { type Before, type Change, type InstallRecord, sha256, snapshot } from './record.js';

/**
 * Every file write `theguard init` makes goes through here: the first time a path is
 * touched its previous state goes into the record, and writing what is already there
 * changes nothing (so a second init is a no-op).
 */
export class FileChanges {
  changed = false;

  constructor(readonly record: InstallRecord) {}

  /** The file's text, or null when it does not exist. Symlinks are followed here (we read what git would run). */
  read(path: string): string | null {
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return null;
      throw err;
    }
  }

  /** Drop what the record says about a path: what is there now is what uninstall should restore. */
  forget(path: string): void {
    this.record.changes = this.record.changes.filter((c) => c.path !== path);
  }

  /** The permission bits of an existing file, or `fallback` for a new one. */
  modeOf(path: string, fallback: number): number {
    const st = lstatOrNull(path);
    return st?.isFile() ? st.mode & 0o7777 : fallback;
  }

  /** Make `path` hold exactly `content` with `mode`, remembering what was there first. True if anything changed. */
  write(installer: string, path: string, content: string | Buffer, mode: number): boolean {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const st = lstatOrNull(path);
    if (st?.isFile() && (st.mode & 0o7777) === mode && readFileSync(path).equals(bytes)) return false;
    let change = this.record.changes.find((c) => c.path === path);
    if (!change) {
      change = { installer, path, before: snapshot(path), after: { sha256: '', mode } };
      this.record.changes.push(change);
    }
    this.mkdirs(dirname(path));
    // A temp file renamed over the target: a symlink is replaced, never written through.
    writeFileAtomic(path, bytes);
    chmodSync(path, mode);
    change.after = { sha256: sha256(bytes), mode };
    this.changed = true;
    return true;
  }

  private mkdirs(dir: string): void {
    if (existsSync(dir)) return;
    this.mkdirs(dirname(dir));
    mkdirSync(dir);
    this.record.createdDirs.push(dir);
  }
}

/** Put a path back the way it was before init. */
export function restore(path: string, before: Before): void {
  if (before.kind === 'absent') {
    safeUnlink(path);
    return;
  }
  if (before.kind === 'symlink') {
    const tmp = `${path}.theguard-restore`;
    safeUnlink(tmp);
    symlinkSync(before.target, tmp);
    renameSync(tmp, path);
    return;
  }
  writeFileAtomic(path, Buffer.from(before.data, 'base64'));
  chmodSync(path, before.mode);
}

/** Is the file still exactly what init left there? */
export function unchangedSinceInstall(change: Change): boolean {
  const st = lstatOrNull(change.path);
  if (!st?.isFile() || (st.mode & 0o7777) !== change.after.mode) return false;
  return sha256(readFileSync(change.path)) === change.after.sha256;
}

export function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return null;
    throw err;
  }
}

export function removeDirIfEmpty(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch {
    return false;
  }
}

