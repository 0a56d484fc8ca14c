/**
 * theguard's additions to files other tools own (.husky/pre-push, lefthook.yml) sit
 * between two comment lines, so they can be found, replaced and removed without
 * touching a byte around them. A file may hold more than one such block (lefthook.yml
 * gets one for the command and one for `piped: true`).
 */
import { BLOCK_BEGIN, BLOCK_END } from '../../core/git/hook-markers.js';

export const BEGIN = BLOCK_BEGIN;
export const END = BLOCK_END;

/** The lines of `content` with every marked block removed, or null when there is none (or one is broken). */
export function removeBlock(content: string): string | null {
  const lines = content.split('\n');
  let found = false;
  for (;;) {
    const start = lines.findIndex((l) => l.trim() === BEGIN);
    if (start < 0) return found ? lines.join('\n') : null;
    const end = lines.findIndex((l, i) => i > start && l.trim() === END);
    if (end < 0) return null;
    lines.splice(start, end - start + 1);
    found = true;
  }
}

export function hasBlock(content: string): boolean {
  return content.split('\n').some((l) => l.trim() === BEGIN);
}
