import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCode, normalizeCode } from '../src/core/code.js';
import { canonicalJson } from '../src/core/lib/canonical-json.js';
import { maskEmail } from '../src/core/lib/mask.js';
import { checkOperation, fingerprintOf } from '../src/core/operation.js';
import { ROOT } from './helpers/sandbox.js';

describe('codes', () => {
  it('are six digits, leading zeros kept', () => {
    for (let i = 0; i < 2000; i++) expect(generateCode()).toMatch(/^\d{6}$/);
  });

  it('come from crypto.randomInt over the whole 10^6 space (no modulo bias)', () => {
    const src = readFileSync(join(ROOT, 'src/core/code.ts'), 'utf8');
    expect(src).toMatch(/randomInt\(0, CODE_SPACE\)/);
    expect(src).not.toMatch(/Math\.random|% ?CODE_SPACE|readUInt/);
  });

  it('are spread evenly: a chi-square test over the leading digit passes', () => {
    const n = 50_000;
    const counts = new Array(10).fill(0) as number[];
    for (let i = 0; i < n; i++) counts[Number(generateCode()[0])]! += 1;
    const expected = n / 10;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    // 9 degrees of freedom; 33.7 is the p = 0.0001 critical value.
    expect(chi2).toBeLessThan(33.7);
  });

  it('normalizes what a human types, and rejects anything else', () => {
    expect(normalizeCode('123456')).toBe('123456');
    expect(normalizeCode(' 123 456 ')).toBe('123456');
    expect(normalizeCode('123-456')).toBe('123456');
    expect(normalizeCode('12345')).toBeNull();
    expect(normalizeCode('1234567')).toBeNull();
    expect(normalizeCode('12345a')).toBeNull();
    expect(normalizeCode('')).toBeNull();
  });
});

describe('fingerprints', () => {
  const op = { tier: 'delete' as const, action: 'tool', summary: 'refund', params: { amount: 10, customer: 'cus_1' } };

  it('canonical JSON sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
  });

  it('rejects values JSON cannot carry, instead of dropping them', () => {
    expect(() => canonicalJson({ a: undefined })).toThrow(/undefined/);
    expect(() => canonicalJson({ a: Number.NaN })).toThrow();
    expect(() => canonicalJson({ a: new Date() })).toThrow(/plain objects/);
  });

  it('is the same for the same operation whatever the key order', () => {
    const a = fingerprintOf(checkOperation(op));
    const b = fingerprintOf(checkOperation({ params: { customer: 'cus_1', amount: 10 }, summary: 'refund', action: 'tool', tier: 'delete' }));
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs when any parameter, the tier or the action differs', () => {
    const base = fingerprintOf(checkOperation(op));
    expect(fingerprintOf(checkOperation({ ...op, params: { amount: 1000, customer: 'cus_1' } }))).not.toBe(base);
    expect(fingerprintOf(checkOperation({ ...op, params: { amount: 10, customer: 'cus_2' } }))).not.toBe(base);
    expect(fingerprintOf(checkOperation({ ...op, tier: 'push' }))).not.toBe(base);
    expect(fingerprintOf(checkOperation({ ...op, action: 'exec' }))).not.toBe(base);
  });

  it('refuses malformed operations with a message that says what to pass', () => {
    expect(() => checkOperation({ tier: 'nuke', action: 'x', summary: 's', params: {} })).toThrow(/tier must be one of push, delete/);
    expect(() => checkOperation({ tier: 'push', action: 'x', summary: ' ', params: {} })).toThrow(/summary/);
    expect(() => checkOperation({ tier: 'push', action: 'x', summary: 's', params: [] })).toThrow(/params must be an object/);
    expect(() => checkOperation({ tier: 'push', action: 'x', summary: 's', params: { big: 'x'.repeat(70_000) } })).toThrow(/at most 65536 can be approved/);
  });

  it('flattens control characters in summaries so they cannot forge lines', () => {
    expect(checkOperation({ ...op, summary: 'a\nApproved: yes\r\u0007b' }).summary).toBe('a Approved: yes b');
  });
});

describe('masked addresses', () => {
  it('show enough to recognise, not enough to harvest', () => {
    expect(maskEmail('jane@example.com')).toBe('j***@e***.com');
    expect(maskEmail('Jane Doe <jane.doe@mail.example.org>')).toBe('j***@m***.org');
    expect(maskEmail('root@localhost')).toBe('r***@l***');
  });
});
