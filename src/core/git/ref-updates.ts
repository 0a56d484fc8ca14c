import { GuardError } from '../errors.js';
import { type ObjectFormat, isObjectId } from './object-format.js';

/**
 * What git tells a pre-push hook on stdin: one line per ref it is about to update,
 * "<local ref> SP <local object> SP <remote ref> SP <remote object>". Anything that
 * does not parse exactly is an error, and the hook blocks the push: a guard that
 * guesses at its input can be talked past.
 */
export interface RefUpdate {
  /** The local ref being pushed, or "(delete)". Shown to the human, not fingerprinted. */
  readonly localRef: string;
  readonly localId: string;
  /** The full ref name on the remote, e.g. refs/heads/main. */
  readonly remoteRef: string;
  readonly remoteId: string;
}

export const MAX_INPUT_BYTES = 4 * 1024 * 1024;
const MAX_UPDATES = 5000;
const FIX = 'this input must come from git itself: let `git push` run the hook';

export function parseRefUpdates(input: string, format: ObjectFormat): RefUpdate[] {
  const lines = input.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length > MAX_UPDATES) {
    throw new GuardError('usage', `the push updates ${lines.length} refs; theguard checks at most ${MAX_UPDATES} at once`, 'push fewer refs at a time');
  }
  return lines.map((line, i) => parseLine(line, i + 1, format));
}

function parseLine(line: string, n: number, format: ObjectFormat): RefUpdate {
  const fields = line.split(' ');
  const [localRef, localId, remoteRef, remoteId] = fields;
  const bad = (what: string): never => {
    throw new GuardError('usage', `pre-push input line ${n} is not what git sends: ${what}`, FIX);
  };
  if (fields.length !== 4 || !localRef || !localId || !remoteRef || !remoteId) return bad('expected 4 fields separated by single spaces');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(line)) bad('it contains control characters');
  if (!isObjectId(localId, format)) bad(`"${localId.slice(0, 80)}" is not a ${format.name} object id`);
  if (!isObjectId(remoteId, format)) bad(`"${remoteId.slice(0, 80)}" is not a ${format.name} object id`);
  if (!remoteRef.startsWith('refs/')) bad(`the remote ref "${remoteRef.slice(0, 200)}" is not a full ref name`);
  if (localId === format.zeroId && remoteId === format.zeroId) bad('both object ids are zero');
  return { localRef, localId, remoteRef, remoteId };
}
