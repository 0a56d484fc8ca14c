/**
 * theguard's additions to files other tools own (.husky/pre-push, lefthook.yml) sit
 * between two comment lines, so they can be found, replaced and removed without
 * touching a byte around them.
 */
import { BLOCK_BEGIN, BLOCK_END } from '../../core/git/hook-markers.js';

export const BEGIN = BLOCK_BEGIN;
export const END = BLOCK_END;

/** The lines of `content` with the marked block removed, or null when there is none (or it is broken). */
export function removeBlock(content: string): string | null {
  const lines = content.split('\n');
  const start = lines.findIndex((l) => l.trim() === BEGIN);
  if (start < 0) return null;
  const end = lines.findIndex((l, i) => i > start && l.trim() === END);
  if (end < 0) return null;
  lines.splice(start, end - start + 1);
  return lines.join('\n');
}

export function hasBlock(content: string): boolean {
  return content.split('\n').some((l) => l.trim() === BEGIN);
}
