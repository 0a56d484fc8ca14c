import { createHash } from 'node:crypto';
import { GuardError } from './errors.js';
import { type Json, canonicalJson } from './lib/canonical-json.js';
import { TIERS, type Tier } from './config.js';

/**
 * An operation is what a human approves: a tier, a kind of action, a one-line
 * summary, and the exact parameters. The fingerprint covers all of it, so a grant
 * for one operation never releases another (another ref, another refund amount).
 */
export interface Operation {
  readonly tier: Tier;
  /** A short kind, e.g. "exec", "git.push", "tool". */
  readonly action: string;
  /** One line a human reads in the email and in `theguard verify`. */
  readonly summary: string;
  readonly params: { readonly [key: string]: Json };
}

const MAX_SUMMARY = 500;
export const MAX_PARAMS_BYTES = 64 * 1024;

/** Check an operation handed in from outside (library callers, hook input). */
export function checkOperation(op: unknown): Operation {
  const fail = (what: string): never => {
    throw new GuardError('usage', `invalid operation: ${what}`, 'pass { tier: "push" | "delete", action, summary, params }');
  };
  if (typeof op !== 'object' || op === null) return fail('it is not an object');
  const o = op as Record<string, unknown>;
  if (!TIERS.includes(o.tier as Tier)) fail(`tier must be one of ${TIERS.join(', ')}`);
  if (typeof o.action !== 'string' || !/^[a-z][a-z0-9._:-]{0,63}$/.test(o.action)) fail('action must be a short lowercase name such as "exec"');
  if (typeof o.summary !== 'string' || o.summary.trim() === '') fail('summary must be a non-empty string');
  if (typeof o.params !== 'object' || o.params === null || Array.isArray(o.params)) fail('params must be an object');
  const summary = oneLine(o.summary as string, MAX_SUMMARY);
  let size: number;
  try {
    size = Buffer.byteLength(canonicalJson(o.params));
  } catch (err) {
    return fail(`params are not plain JSON (${(err as Error).message})`);
  }
  if (size > MAX_PARAMS_BYTES) {
    throw new GuardError('usage', `the operation's parameters are ${size} bytes; at most ${MAX_PARAMS_BYTES} can be approved`,
      'split the operation into smaller ones; theguard will not approve what it cannot show in full');
  }
  return { tier: o.tier as Tier, action: o.action as string, summary, params: o.params as Operation['params'] };
}

/** SHA-256 over the canonical JSON of the operation. */
export function fingerprintOf(op: Operation): string {
  const canonical = canonicalJson({ v: 1, tier: op.tier, action: op.action, summary: op.summary, params: op.params });
  return createHash('sha256').update(canonical).digest('hex');
}

/** Collapse control characters and newlines so a summary cannot forge extra lines. */
export function oneLine(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * Keep line breaks and tabs, drop every other control character (ANSI escapes included),
 * so text shown in the human's terminal cannot repaint the screen or hide lines.
 */
export function multiLine(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/\r\n?|[\u2028\u2029]/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
