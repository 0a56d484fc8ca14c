import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { GuardError, errnoCode } from '../../core/errors.js';
import { writeFileAtomic } from '../../core/lib/safe-fs.js';

/**
 * What `theguard init` changed, so `theguard uninstall` can put back exactly what was
 * there: for every file it touched, the bytes and mode (or symlink target, or absence)
 * from before the first change, and a hash of what init left there. It lives in the
 * repository's common git dir (`<git-common-dir>/theguard/install.json`): private to
 * this clone, shared by its worktrees, never committed.
 */
export type Before =
  | { readonly kind: 'absent' }
  | { readonly kind: 'file'; readonly mode: number; readonly data: string }
  | { readonly kind: 'symlink'; readonly target: string };

export interface Change {
  readonly installer: string;
  readonly path: string;
  readonly before: Before;
  after: { sha256: string; mode: number };
}

export interface PrePushInstall {
  readonly layout: 'hooks' | 'husky' | 'lefthook';
  /** The hooks dir git used at install time; doctor warns when core.hooksPath moves away from it. */
  readonly hooksDir: string;
  /** The file git (or husky, or lefthook) reads to run theguard. */
  readonly entry: string;
  readonly launcher: string;
  /** The earlier pre-push hook that theguard runs first, if any. */
  readonly chained: string | null;
}

export interface InstallRecord {
  v: 1;
  changes: Change[];
  /** Directories init created, removed on uninstall when empty. */
  createdDirs: string[];
  prePush?: PrePushInstall;
  /**
   * The permissions.deny rules init added to each Claude Code settings file, by path:
   * uninstall takes out these and no others (a rule the human added stays).
   */
  claudeDenyRules?: Record<string, string[]>;
}

export const RECORD_NAME = 'install.json';
const MAX_RECORDED_FILE = 1024 * 1024;

export function recordPath(privateDir: string): string {
  return join(privateDir, RECORD_NAME);
}

export function readRecord(privateDir: string): InstallRecord | null {
  let text: string;
  try {
    text = readFileSync(recordPath(privateDir), 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return null;
    throw err;
  }
  try {
    const rec = JSON.parse(text) as InstallRecord;
    if (rec.v !== 1 || !Array.isArray(rec.changes) || !Array.isArray(rec.createdDirs)) throw new Error('unexpected shape');
    return rec;
  } catch (err) {
    throw new GuardError('state', `${recordPath(privateDir)} is damaged (${(err as Error).message}); theguard cannot tell what init changed`,
      'restore the listed files by hand (docs/git.md says which), then delete that file');
  }
}

export function writeRecord(privateDir: string, rec: InstallRecord): void {
  writeFileAtomic(recordPath(privateDir), `${JSON.stringify(rec, null, 2)}\n`);
}

/** The state of a path now, as a Before. */
export function snapshot(path: string): Before {
  let st;
  try {
    st = lstatSync(path);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return { kind: 'absent' };
    throw err;
  }
  if (st.isSymbolicLink()) return { kind: 'symlink', target: readlinkSync(path) };
  if (!st.isFile()) throw new GuardError('usage', `${path} exists but is not a regular file`, 'move it out of the way, then run `theguard init` again');
  if (st.size > MAX_RECORDED_FILE) throw new GuardError('usage', `${path} is ${st.size} bytes; theguard edits files up to ${MAX_RECORDED_FILE} bytes`, 'make the change by hand (docs/git.md)');
  return { kind: 'file', mode: st.mode & 0o7777, data: readFileSync(path).toString('base64') };
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
