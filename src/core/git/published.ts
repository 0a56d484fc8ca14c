import type { ClassifiedUpdate } from './classify.js';
import type { ObjectFormat } from './object-format.js';
import { git } from './run.js';

/**
 * What a push would publish, for the human reading the email: the new commits (the
 * first subjects and a count) and a diffstat per updated ref. Informational only, it
 * is not fingerprinted, so it may be abbreviated; the ref updates themselves are.
 */
export interface Published {
  readonly commitCount: number;
  /** "abc1234 subject", newest first, at most MAX_SUBJECTS. */
  readonly commits: readonly string[];
  readonly diffstats: readonly { readonly ref: string; readonly base: string; readonly text: string }[];
}

export const MAX_SUBJECTS = 20;
const MAX_DIFFSTATS = 10;
const MAX_STAT_FILES = 40;

export function describePublished(updates: readonly ClassifiedUpdate[], remote: string, format: ObjectFormat, cwd: string): Published {
  const tips = [...new Set(updates.filter((u) => u.kind !== 'delete').map((u) => u.localId))];
  if (tips.length === 0) return { commitCount: 0, commits: [], diffstats: [] };
  const known = existing(updates.map((u) => u.remoteId).filter((id) => id !== format.zeroId), cwd);
  const exclude = [...known].map((id) => `^${id}`);
  // Everything the remote-tracking refs hold is already published. (--not before --stdin
  // leaves the revisions read from stdin as they are.)
  const remotes = hasTrackingRefs(remote, cwd) ? ['--not', `--remotes=${remote}`] : [];
  const revs = `${[...tips, ...exclude].join('\n')}\n`;
  const count = Number(git(['rev-list', '--count', ...remotes, '--stdin'], { cwd, input: revs }).trim());
  const log = git(['log', '--no-decorate', '--no-color', `--max-count=${MAX_SUBJECTS}`, '--format=%h %s', ...remotes, '--stdin'], { cwd, input: revs });
  const commits = log.split('\n').filter((l) => l !== '');
  const diffstats = updates
    .filter((u) => u.kind !== 'delete')
    .slice(0, MAX_DIFFSTATS)
    .map((u) => {
      const base = known.has(u.remoteId) ? u.remoteId : boundaryOf(u.localId, exclude, remotes, format, cwd);
      return { ref: u.remoteRef, base, text: diffstat(base, u.localId, cwd) };
    });
  return { commitCount: count, commits, diffstats };
}

/** Which of these object ids exist in this repository (a remote tip we never fetched does not). */
function existing(ids: readonly string[], cwd: string): Set<string> {
  if (ids.length === 0) return new Set();
  const out = git(['cat-file', '--batch-check=%(objectname) %(objecttype)'], { cwd, input: `${ids.join('\n')}\n` });
  return new Set(out.split('\n').filter((l) => /^[0-9a-f]+ (commit|tag)$/.test(l)).map((l) => l.split(' ')[0] as string));
}

/** A configured remote with remote-tracking refs (refs/remotes/<name>/...): what this clone knows is published. */
function hasTrackingRefs(name: string, cwd: string): boolean {
  if (!git(['remote'], { cwd }).split('\n').includes(name)) return false;
  return git(['for-each-ref', '--count=1', '--format=%(refname)', `refs/remotes/${name}/`], { cwd }).trim() !== '';
}

/**
 * For a new ref, diff against where its new commits branch off what the remote already
 * has; with no such point (a first push), against the empty tree.
 */
function boundaryOf(tip: string, exclude: readonly string[], remotes: readonly string[], format: ObjectFormat, cwd: string): string {
  // Nothing known to be published: no boundary to find, and walking all history would be slow.
  if (exclude.length === 0 && remotes.length === 0) return emptyTree(cwd);
  const out = git(['rev-list', '--boundary', ...remotes, '--stdin'], { cwd, input: `${[tip, ...exclude].join('\n')}\n` });
  const boundary = out.split('\n').find((l) => l.startsWith('-'));
  if (boundary) return boundary.slice(1, 1 + format.hexLength);
  return emptyTree(cwd);
}

function emptyTree(cwd: string): string {
  return git(['hash-object', '-t', 'tree', '--stdin'], { cwd, input: '' }).trim();
}

function diffstat(base: string, tip: string, cwd: string): string {
  return git(['diff', '--no-color', '--no-ext-diff', `--stat=100,70`, `--stat-count=${MAX_STAT_FILES}`, base, tip, '--'], { cwd }).trimEnd();
}
