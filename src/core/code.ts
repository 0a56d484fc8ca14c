import { randomInt } from 'node:crypto';

/**
 * Where a code is born. randomInt draws uniformly by rejection sampling, so every
 * one of the 10^6 codes is equally likely (no modulo bias). The code lives only in
 * memory: the caller hands it to a delivery and to makeVerifier, then drops it.
 */
export const CODE_DIGITS = 6;
const CODE_SPACE = 10 ** CODE_DIGITS;

export function generateCode(): string {
  return randomInt(0, CODE_SPACE).toString().padStart(CODE_DIGITS, '0');
}

/** Accept what a human types ("123 456", "123-456"); anything but six digits is null. */
export function normalizeCode(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}
