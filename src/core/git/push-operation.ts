import type { Tier } from '../config.js';
import type { Operation } from '../operation.js';
import type { ClassifiedUpdate, UpdateKind } from './classify.js';
import type { Judgement } from './push-policy.js';
import { MAX_SUBJECTS, type Published } from './published.js';
import { redactUrl } from './remote-url.js';

/**
 * A push as the human approves it. The fingerprint covers the remote URL and every
 * ref update (remote ref, new object, old object, kind), so a grant for this push
 * never releases another: a new commit or another branch is a new operation. The
 * summary is built only from those parameters, so a retry of the same push finds the
 * same fingerprint.
 */
export interface JudgedUpdate {
  readonly update: ClassifiedUpdate;
  readonly judgement: Judgement;
}

export const PUSH_ACTION = 'git.push';

const VERB: Record<UpdateKind, string> = { create: 'create', update: 'update', force: 'force-push', delete: 'delete' };
const SUMMARY_REFS = 4;

export function pushOperation(tier: Tier, remote: string, url: string, judged: readonly JudgedUpdate[]): Operation {
  const updates = [...judged]
    .map(({ update: u }) => ({ ref: u.remoteRef, kind: u.kind, new: u.localId, old: u.remoteId }))
    .sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  const shown = updates.slice(0, SUMMARY_REFS).map((u) => `${VERB[u.kind]} ${shortRef(u.ref)}`);
  if (updates.length > SUMMARY_REFS) shown.push(`${updates.length - SUMMARY_REFS} more`);
  return {
    tier,
    action: PUSH_ACTION,
    summary: `git push ${remote}: ${shown.join(', ')}`,
    params: { remote, url: redactUrl(url), updates },
  };
}

/** The lines the email and `theguard verify` show under the summary (not fingerprinted). */
export function pushDetails(remote: string, url: string, judged: readonly JudgedUpdate[], published: Published): string {
  const lines = [`Remote: ${remote} (${redactUrl(url)})`, 'Ref updates:'];
  for (const { update: u, judgement: j } of judged) {
    const need = j.tier ? `needs a ${j.tier}-tier code: ${j.why}` : `free: ${j.why}`;
    lines.push(`  ${VERB[u.kind].padEnd(10)} ${shortRef(u.remoteRef)}  ${range(u)}  [${need}]`);
    if (u.localRef !== u.remoteRef && u.kind !== 'delete') lines.push(`             from local ${u.localRef}`);
  }
  if (published.commitCount > 0) {
    lines.push(`Commits to publish: ${published.commitCount}`);
    for (const c of published.commits) lines.push(`  ${c}`);
    if (published.commitCount > published.commits.length) lines.push(`  … and ${published.commitCount - published.commits.length} more (the first ${MAX_SUBJECTS} are listed)`);
  }
  for (const d of published.diffstats) {
    lines.push(`Diffstat for ${shortRef(d.ref)} (against ${d.base.slice(0, 12)}):`);
    lines.push(...(d.text ? d.text.split('\n').map((l) => `  ${l}`) : ['  (no file changes)']));
  }
  return lines.join('\n');
}

function shortRef(ref: string): string {
  if (ref.startsWith('refs/heads/')) return ref.slice('refs/heads/'.length);
  if (ref.startsWith('refs/tags/')) return `tag ${ref.slice('refs/tags/'.length)}`;
  return ref;
}

function range(u: ClassifiedUpdate): string {
  const s = (id: string) => id.slice(0, 12);
  if (u.kind === 'create') return `new at ${s(u.localId)}`;
  if (u.kind === 'delete') return `was ${s(u.remoteId)}`;
  return `${s(u.remoteId)} -> ${s(u.localId)}${u.kind === 'force' ? ' (not a fast-forward)' : ''}`;
}
