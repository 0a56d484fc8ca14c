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
  {
    // The Claude Code hook runs on every agent tool call: a small minified CommonJS file
    // (ES module loading alone would cost more than the hook's budget), nothing from
    // node_modules, and only the light decision; the rest is in the two bundles below.
    entry: { 'hooks/pre-tool-use': 'hooks/pre-tool-use.ts' },
    format: ['cjs'],
    target: 'node20',
    define: { __VERSION__: JSON.stringify(version) },
    minify: true,
    sourcemap: false,
    splitting: false,
    noExternal: [/.*/],
  },
  {
    // The hook's full half: the shell analyser and the clearance engine, for calls the light half cannot settle.
    entry: { 'hooks/pre-tool-use-full': 'src/core/claude/full.ts' },
    format: ['cjs'],
    target: 'node20',
    minify: true,
    sourcemap: false,
    splitting: false,
    noExternal: [/.*/],
  },
  {
    // The hook's slow path: zod and cosmiconfig, loaded only when the configuration changed.
    entry: { 'hooks/config-loader': 'src/config/hook-loader.ts' },
    format: ['cjs'],
    target: 'node20',
    sourcemap: false,
    splitting: false,
  },
]);
