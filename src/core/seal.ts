import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from './lib/canonical-json.js';

/**
 * Every state record carries an HMAC over its canonical JSON, keyed from the pepper.
 * A record the agent wrote by hand (a "grant" it forged, a clearance with a verifier
 * of a code it chose) fails this check and is treated as invalid, never as valid.
 */
export type Sealed<T> = T & { readonly mac: string };

export function seal<T extends object>(record: T, macKey: Buffer): Sealed<T> {
  const mac = createHmac('sha256', macKey).update(canonicalJson(record)).digest('base64url');
  return { ...record, mac };
}

export function isSealed(value: unknown, macKey: Buffer): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { mac, ...rest } = value as Record<string, unknown>;
  if (typeof mac !== 'string') return false;
  let expected: Buffer;
  try {
    expected = createHmac('sha256', macKey).update(canonicalJson(rest)).digest();
  } catch {
    return false;
  }
  const given = Buffer.from(mac, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
