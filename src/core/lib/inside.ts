import { posix } from 'node:path';

/** True when `child` lies strictly below `parent` (both absolute and normalised). */
export function strictlyInside(child: string, parent: string): boolean {
  const rel = posix.relative(parent, child);
  return rel !== '' && rel !== '..' && !rel.startsWith('../') && !posix.isAbsolute(rel);
}

/** `child` is `parent` or below it. */
export function insideOrEqual(child: string, parent: string): boolean {
  return child === parent || strictlyInside(child, parent);
}
