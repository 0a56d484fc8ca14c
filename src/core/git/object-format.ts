import { GuardError } from '../errors.js';
import { git } from './run.js';

/**
 * The repository's object format decides what an object id looks like and what the
 * zero id is: 40 hex digits for SHA-1, 64 for SHA-256. Git marks a created ref with
 * a zero remote id and a deleted one with a zero local id, so reading them right
 * needs the format, not a hard-coded 40 zeros.
 */
export interface ObjectFormat {
  readonly name: 'sha1' | 'sha256';
  readonly hexLength: number;
  readonly zeroId: string;
}

const FORMATS: Record<string, ObjectFormat> = {
  sha1: { name: 'sha1', hexLength: 40, zeroId: '0'.repeat(40) },
  sha256: { name: 'sha256', hexLength: 64, zeroId: '0'.repeat(64) },
};

export function objectFormatOf(cwd: string): ObjectFormat {
  const name = git(['rev-parse', '--show-object-format'], { cwd }).trim();
  const format = FORMATS[name];
  if (!format) {
    throw new GuardError('git', `this repository uses the object format "${name}", which theguard does not know`,
      'theguard supports sha1 and sha256 repositories');
  }
  return format;
}

export function isObjectId(s: string, format: ObjectFormat): boolean {
  return s.length === format.hexLength && /^[0-9a-f]+$/.test(s);
}
