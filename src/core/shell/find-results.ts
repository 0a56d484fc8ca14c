import type { Word } from './syntax.js';
import { literal } from './words.js';

/**
 * What `{}` stands for in `find ROOT ... -exec` (and what `-delete` deletes): a file
 * below the single literal root (`find build -exec rm -rf {} +` deletes inside build),
 * named as the one `-name` test says, at any depth (`ROOT`, `**`, `NAME`; the self-protection
 * shapes read that `**` as reaching into dot directories too, as find does). Several
 * roots, or one the analyser cannot read, make it unknown.
 */
export function foundFile(argv: readonly Word[]): Word {
  const roots: string[] = [];
  for (const w of argv.slice(1)) {
    const t = literal(w);
    if (t === null) return { parts: [{ t: 'dyn', what: 'found file' }], raw: '{}', subs: [] };
    if (t.startsWith('-') || t === '(' || t === '!') break;
    roots.push(t);
  }
  const root = roots.length === 1 ? roots[0] : roots.length === 0 ? '.' : null;
  if (root === null || root === undefined) return { parts: [{ t: 'dyn', what: 'found file' }], raw: '{}', subs: [] };
  const name = onlyName(argv);
  const below = name === null ? '/*' : `/**/${name}`;
  return { parts: [{ t: 'lit', s: root.replace(/\/+$/, ''), quoted: true }, { t: 'lit', s: below, quoted: false }], raw: '{}', subs: [] };
}

/**
 * The one `-name P` (or `-iname`, lowercased matching aside) a find expression ANDs
 * in: `find . -name '*.tmp' -exec rm {} +` deletes only `*.tmp` files, at any depth.
 * Any `!`, `-not`, `-o`, parentheses or second name test makes it unknown (null).
 */
function onlyName(argv: readonly Word[]): string | null {
  const texts = argv.map((w) => literal(w));
  const exec = texts.findIndex((t) => t === '-exec' || t === '-execdir' || t === '-ok' || t === '-okdir' || t === '-delete');
  const expr = exec < 0 ? texts : texts.slice(0, exec);
  if (expr.some((t) => t === null || ['!', '-not', '-o', '-or', '(', ')', ','].includes(t))) return null;
  const at = expr.flatMap((t, i) => (t === '-name' || t === '-iname' ? [i] : []));
  const pattern = at.length === 1 ? expr[(at[0] as number) + 1] : null;
  if (pattern === null || pattern === undefined || pattern.includes('/') || at.length !== 1 || expr[at[0] as number] === '-iname') return null;
  return pattern;
}
