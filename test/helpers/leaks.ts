import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Helpers for "the code is nowhere it should not be" checks. */

/** The code as a whole number, not as part of a longer digit run such as a timestamp. */
export const codeRe = (code: string): RegExp => new RegExp(`(?<!\\d)${code}(?!\\d)`);

/** Every regular file under a directory (none if it does not exist), with its bytes as latin1 text. */
export function filesUnder(dir: string): { path: string; text: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => ({ path: join(d.parentPath, d.name), text: readFileSync(join(d.parentPath, d.name), 'latin1') }));
}

/** All the text under a directory, joined: for a quick "not in here". */
export function textUnder(dir: string): string {
  return filesUnder(dir).map((f) => f.text).join('\n');
}
