import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm'],
    target: 'node20',
    dts: true,
    sourcemap: true,
  },
  {
    // The CLI is one self-contained file (its dependencies stay in node_modules).
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    define: { __VERSION__: JSON.stringify(version) },
    sourcemap: true,
    splitting: false,
  },
  {
    // The pre-push hook: one file holding the core (zod and cosmiconfig stay in node_modules).
    // `theguard init` points the installed hook at it by absolute path.
    entry: { 'hooks/pre-push': 'hooks/pre-push.ts' },
    format: ['esm'],
    target: 'node20',
    sourcemap: true,
    splitting: false,
  },
]);
