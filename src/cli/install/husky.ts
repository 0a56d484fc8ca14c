import { huskyBlock } from '../../core/git/hook-entries.js';
import { removeBlock } from './marked-block.js';
export { huskyBlock };

/**
 * husky v9 runs `.husky/pre-push` with `sh -e` (from its `.husky/_/pre-push` stub, the
 * dir core.hooksPath points at). theguard's block goes at the top of that script, so
 * an `exit` further down cannot skip it. It hands the whole script to theguard, which
 * runs it first (with the same refs on stdin, and THEGUARD_CHAINED=1 so the block
 * steps aside), then checks the push.
 *
 * The script with theguard's block at the top (after a shebang line, if any).
 */
export function addHuskyBlock(content: string | null): string {
  const lines = (content === null ? '' : (removeBlock(content) ?? content)).split('\n');
  const at = lines[0]?.startsWith('#!') ? 1 : 0;
  lines.splice(at, 0, ...huskyBlock());
  const text = lines.join('\n');
  return text.endsWith('\n') ? text : `${text}\n`;
}
