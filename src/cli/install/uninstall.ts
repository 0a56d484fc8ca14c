import { readFileSync } from 'node:fs';
import { sep } from 'node:path';
import { safeUnlink, writeFileAtomic } from '../../core/lib/safe-fs.js';
import { displayPath } from './config-file.js';
import { lstatOrNull, removeDirIfEmpty, restore, unchangedSinceInstall } from './file-changes.js';
import type { GitRepo } from './git-repo.js';
import type { Installer } from './installer.js';
import { type Change, type InstallRecord, readRecord, recordPath } from './record.js';

/**
 * Undo `theguard init`: every file it touched goes back to exactly what it was (bytes,
 * mode, symlink or absence), newest change first. A file edited since init keeps the
 * edits; only theguard's marked part is taken out. The state dir (with the audit log)
 * is left alone: it is a record, not an install.
 */
export function uninstall(repo: GitRepo, installers: readonly Installer[], say: (line: string) => void): boolean {
  const rec = readRecord(repo.privateDir);
  if (!rec) {
    say(`theguard is not installed in this repository (no ${displayPath(repo.root, recordPath(repo.privateDir))}); nothing to undo.`);
    return false;
  }
  for (const change of [...rec.changes].reverse()) undoChange(change, rec, repo, installers, say);
  for (const dir of [...rec.createdDirs].reverse()) removeDirIfEmpty(dir);
  safeUnlink(recordPath(repo.privateDir));
  removeDirIfEmpty(repo.privateDir);
  return true;
}

function undoChange(change: Change, rec: InstallRecord, repo: GitRepo, installers: readonly Installer[], say: (line: string) => void): void {
  const shown = displayPath(repo.root, change.path);
  const verb = change.before.kind === 'absent' ? 'removed' : 'restored';
  const ownedWholly = change.path.startsWith(`${repo.privateDir}${sep}`);
  if (ownedWholly || !lstatOrNull(change.path) || unchangedSinceInstall(change)) {
    restore(change.path, change.before);
    say(`${verb} ${shown}`);
    return;
  }
  const installer = installers.find((i) => i.name === change.installer);
  const patched = installer?.unpatch?.(change, readFileSync(change.path, 'utf8'), rec) ?? null;
  if (patched === 'restore') {
    restore(change.path, change.before);
    say(`${verb} ${shown}`);
  } else if (patched !== null) {
    writeFileAtomic(change.path, patched);
    say(`${shown}: removed theguard's part; kept the edits made since init`);
  } else {
    say(`${shown}: left as is (it changed since init and theguard's part cannot be told apart); remove it by hand`);
  }
}
