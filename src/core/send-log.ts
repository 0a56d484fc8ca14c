import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RateLimitPolicy } from './config.js';
import { errnoCode } from './errors.js';
import { createMarker, ensurePrivateDir, safeUnlink } from './lib/safe-fs.js';

/**
 * How many codes went out recently, per agent session and for the whole project, so an
 * agent retrying in a loop cannot flood the human's inbox. Each code sent leaves an empty
 * file `sends/<time>.<session>.<nonce>`; counting is a readdir, pruning is unlink. Racing
 * senders can overshoot a cap by the number racing at that instant: this is flood
 * control, not a security boundary (the attempt limits are exact; see clearance.ts).
 */
export type SendLimits = RateLimitPolicy;

export type SendCheck =
  | { readonly ok: true }
  /** Over a cap: no code until `until`, when the oldest counted send leaves the window. */
  | { readonly ok: false; readonly scope: 'session' | 'project'; readonly limit: number; readonly until: number };

export class SendLog {
  private readonly dir: string;

  constructor(stateDir: string, private readonly limits: SendLimits) {
    this.dir = join(stateDir, 'sends');
  }

  check(session: string | undefined, now = Date.now()): SendCheck {
    const windowStart = now - this.limits.windowSeconds * 1000;
    const recent = this.entries().filter((e) => e.at > windowStart);
    const over = (list: { at: number }[], limit: number, scope: 'session' | 'project'): SendCheck | null => {
      if (list.length < limit) return null;
      const oldestCounted = list.map((e) => e.at).sort((a, b) => b - a)[limit - 1] as number;
      return { ok: false, scope, limit, until: oldestCounted + this.limits.windowSeconds * 1000 };
    };
    const key = sessionKey(session);
    return (
      (session ? over(recent.filter((e) => e.session === key), this.limits.perSession, 'session') : null) ??
      over(recent, this.limits.perProject, 'project') ?? { ok: true }
    );
  }

  record(session: string | undefined, now = Date.now()): void {
    ensurePrivateDir(this.dir);
    createMarker(join(this.dir, `${now}.${sessionKey(session)}.${randomBytes(4).toString('hex')}`));
    this.prune(now);
  }

  private prune(now: number): void {
    const cutoff = now - this.limits.windowSeconds * 1000;
    for (const e of this.entries()) if (e.at <= cutoff) safeUnlink(join(this.dir, e.name));
  }

  private entries(): { name: string; at: number; session: string }[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return [];
      throw err;
    }
    return names.flatMap((name) => {
      const m = /^(\d{13})\.([A-Za-z0-9_-]{1,64})\.[0-9a-f]{8}$/.exec(name);
      return m ? [{ name, at: Number(m[1]), session: m[2] as string }] : [];
    });
  }
}

/** Session ids come from the agent's harness; keep them file-name safe and bounded. */
function sessionKey(session: string | undefined): string {
  return session ? session.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || '_' : '-none-';
}
