import { createHash } from 'node:crypto';
import { type ReadFile, readSmallFile } from '../shell/script-files.js';
import type { FileDigests } from './tool-operation.js';

/**
 * A ReadFile that remembers what it read, for binding into an approval (see FileDigests).
 * Only the full hook uses it: node:crypto is loaded there anyway for the verifier.
 */
export function recordedReads(readFile: ReadFile = readSmallFile): { readFile: ReadFile; digests: () => FileDigests } {
  const seen = new Map<string, string>();
  const recording: ReadFile = (path) => {
    const read = readFile(path);
    seen.set(path, read.kind === 'ok' ? `sha256:${createHash('sha256').update(read.text).digest('hex')}` : read.kind);
    return read;
  };
  return { readFile: recording, digests: () => Object.fromEntries(seen) };
}
