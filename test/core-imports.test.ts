import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/sandbox.js';

/** src/core is the part a reviewer must be able to audit: Node built-ins and its own files only. */
const CORE = join(ROOT, 'src/core');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'"]*?\sfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) found.push(m[1] as string);
  return found;
}

describe('src/core dependencies', () => {
  const all = files(CORE);

  it('finds the core files', () => {
    expect(all.length).toBeGreaterThan(10);
  });

  it.each(all.map((f) => [f.slice(ROOT.length + 1), f]))('%s imports only node: built-ins and core files', (_name, file) => {
    const bad = specifiers(readFileSync(file, 'utf8')).filter((s) => {
      if (s.startsWith('node:')) return false;
      if (s.startsWith('.')) return !resolve(dirname(file), s).startsWith(CORE);
      return true;
    });
    expect(bad).toEqual([]);
  });

  it('the import scanner catches a package import (so the test above can fail)', () => {
    expect(specifiers(`import { z } from 'zod';\nimport x from "../../config/load.js";\nconst y = require('fs');`)).toEqual(['zod', '../../config/load.js', 'fs']);
  });
});
