import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decideTool, quickDecision } from '../src/core/decide/index.js';
import { DecideWorld } from './helpers/decide.js';
import { ROOT } from './helpers/sandbox.js';

/**
 * The hook pays for every module it loads on every tool call. quick.ts, which settles
 * most calls, must not load the shell analyser, the rule evaluators or node:crypto.
 */
function graph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (file.startsWith('node:')) return;
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/^(?:import|export)\s(?!type\s)[^'"]*?from\s*['"]([^'"]+)['"]/gm)) {
      const spec = m[1] as string;
      visit(spec.startsWith('.') ? resolve(dirname(file), spec.replace(/\.js$/, '.ts')) : spec);
    }
  };
  visit(entry);
  return seen;
}

describe('the light path', () => {
  const loaded = [...graph(join(ROOT, 'src/core/decide/quick.ts'))].map((f) => (f.startsWith('node:') ? f : relative(join(ROOT, 'src/core'), f)));

  it('follows the import graph (sanity)', () => {
    expect(loaded).toContain('protect/tools.ts');
    expect(loaded).toContain('rules/catalogue.ts');
  });

  it('quick.ts loads neither the analyser, nor the rule evaluators, nor node:crypto', () => {
    const heavy = loaded.filter((f) => ['shell/parser.ts', 'shell/analyse.ts', 'rules/evaluate.ts', 'protect/bash.ts', 'decide/bash.ts', 'operation.ts', 'node:crypto'].includes(f));
    expect(heavy).toEqual([]);
  });

  const world = new DecideWorld();
  afterAll(() => world.cleanup());

  it('settles plain commands and every non-Bash call, and hands the rest over', () => {
    const ctx = world.ctx({ rules: [{ tool: 'mcp__x__*', action: 'allow' }] });
    expect(quickDecision('Bash', { command: 'npm test' }, ctx)).toEqual({ action: 'allow', ruleIds: [], pushes: [] });
    expect(quickDecision('Bash', { command: 'git status' }, ctx)?.action).toBe('allow');
    expect(quickDecision('Bash', { command: 'terraform destroy' }, ctx)).toBeNull();
    expect(quickDecision('Bash', { command: 'ls $HOME' }, ctx)).toBeNull();
    for (const [tool, input] of [
      ['Read', { file_path: join(world.proj, '.theguard/x') }],
      ['Write', { file_path: join(world.proj, 'a.ts'), content: '' }],
      ['mcp__x__y', {}],
      ['mcp__z__y', {}],
    ] as const) {
      expect(quickDecision(tool, input, ctx)).toEqual(decideTool(tool, input, ctx));
    }
  });
});
