import { createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { GuardError } from './errors.js';

/**
 * The only thing stored about a code: scrypt(HMAC-SHA256(pepper, code), salt).
 * The HMAC means the state dir alone is not enough to test guesses offline; scrypt
 * means that even with the pepper, sweeping all 10^6 codes takes far longer than a
 * code lives (see `npm run bench` and docs/performance.md).
 */
export const KDF_DEFAULTS = { N: 2 ** 16, r: 8, p: 1 } as const;
const KEY_LEN = 32;
const SALT_LEN = 16;
/** Bounds a stored record must respect; a tampered, cheaper N is refused, not used. */
const MIN_LOG2_N = 15;
const MAX_LOG2_N = 20;

export interface Verifier {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: string; // base64url, 16 bytes
  readonly hash: string; // base64url, 32 bytes
}

function scryptAsync(secret: Buffer, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  // scrypt needs 128 * N * r * p bytes; Node's default cap (32 MiB) is too small for N = 2^16.
  const maxmem = 128 * N * r * p + 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_LEN, { N, r, p, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function peppered(code: string, pepper: Buffer): Buffer {
  return createHmac('sha256', pepper).update(code, 'utf8').digest();
}

export async function makeVerifier(code: string, pepper: Buffer, params: { N: number; r: number; p: number } = KDF_DEFAULTS): Promise<Verifier> {
  checkParams(params);
  const salt = randomBytes(SALT_LEN);
  const hash = await scryptAsync(peppered(code, pepper), salt, params.N, params.r, params.p);
  return { ...params, salt: salt.toString('base64url'), hash: hash.toString('base64url') };
}

/** Constant-time check of a guess against a stored verifier. */
export async function checkVerifier(code: string, pepper: Buffer, v: Verifier): Promise<boolean> {
  checkParams(v);
  const salt = Buffer.from(v.salt, 'base64url');
  const expected = Buffer.from(v.hash, 'base64url');
  if (salt.length !== SALT_LEN || expected.length !== KEY_LEN) {
    throw new GuardError('state', 'a stored verifier has the wrong salt or hash length', 'the clearance file was altered; request a new code');
  }
  const actual = await scryptAsync(peppered(code, pepper), salt, v.N, v.r, v.p);
  return timingSafeEqual(actual, expected);
}

function checkParams(p: { N: number; r: number; p: number }): void {
  const log2 = Math.log2(p.N);
  const ok =
    Number.isInteger(log2) && log2 >= MIN_LOG2_N && log2 <= MAX_LOG2_N && p.r === 8 && Number.isInteger(p.p) && p.p >= 1 && p.p <= 4;
  if (!ok) {
    throw new GuardError('state', `scrypt parameters N=${p.N} r=${p.r} p=${p.p} are outside the allowed range`,
      'the clearance file was altered or written by another tool; request a new code');
  }
}
