#!/usr/bin/env node
// The cost of the decision engine the PreToolUse hook calls (src/core/decide), on its
// own: no config loading, no stdin, no clearance. Measured:
//   1. per call in a warm process (median of many calls);
//   2. whole processes that load the engine and decide once, against `node -e 0`: the
//      engine bundled into one minified CommonJS file (decide/quick.ts first, the shell
//      analyser in decide/tool.ts required only when a command needs it), and the same
//      as an ES module, whose loader alone costs several milliseconds more.
// Nothing here is asserted in a test; the figures go in the report and docs.
//
//   node scripts/bench-decide.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 31;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const base = mkdtempSync(join(tmpdir(), 'theguard-bench-decide-'));
const proj = join(base, 'proj');
mkdirSync(join(proj, '.git'), { recursive: true });
writeFileSync(join(proj, '.git', 'HEAD'), 'ref: refs/heads/feature/x\n');
writeFileSync(join(proj, 'drop.sql'), 'DROP TABLE users;\n');

const mainSource = (load) => `import { decisionContext, quickDecision } from ${JSON.stringify(join(ROOT, 'src/core/decide/quick.ts'))};
const ctx = decisionContext({ cwd: ${JSON.stringify(proj)}, config: { stateDir: ${JSON.stringify(join(proj, '.theguard'))}, rules: [] }, env: { HOME: '/nonexistent' } });
const input = { command: process.argv[2] };
const d = quickDecision('Bash', input, ctx) ?? ${load}.decideTool('Bash', input, ctx);
if (process.env.SHOW) console.log(d.action);
`;
const tool = JSON.stringify(join(ROOT, 'src/core/decide/tool.ts'));
writeFileSync(join(base, 'cjs.ts'), mainSource(`require(${tool})`));
writeFileSync(join(base, 'esm.ts'), mainSource(`(await import(${tool}))`));
const bundle = { target: 'node20', config: false, silent: true, dts: false, sourcemap: false, minify: true };
await build({ ...bundle, entry: { main: join(base, 'cjs.ts') }, outDir: join(base, 'cjs'), format: ['cjs'], splitting: false });
await build({ ...bundle, entry: { main: join(base, 'esm.ts') }, outDir: join(base, 'esm'), format: ['esm'], splitting: true });
await build({ entry: { api: join(ROOT, 'src/core/decide/index.ts') }, outDir: join(base, 'api'), format: ['esm'], target: 'node20', config: false, silent: true, dts: false, sourcemap: false });

// Warm, per call. decideTool settles plain commands on the quick path too.
const { decideTool, decisionContext } = await import(join(base, 'api', 'api.js'));
const warmCtx = decisionContext({ cwd: proj, config: { stateDir: join(proj, '.theguard'), rules: [{ command: 'npm publish', action: 'verify', tier: 'push' }] }, env: { HOME: join(base, 'home') } });

const BENIGN = ['ls -la', 'npm test', 'git status', 'git log --oneline -5 | cat'];
const GATED = ['terraform destroy -auto-approve', 'psql < drop.sql', "bash -c 'rm -rf src'", 'cat .theguard/audit.jsonl'];
function perCall(tool, input, n = 20_000) {
  for (let i = 0; i < 500; i++) decideTool(tool, input, warmCtx);
  const samples = [];
  for (let r = 0; r < 9; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n / 9; i++) decideTool(tool, input, warmCtx);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e3 / (n / 9));
  }
  return median(samples);
}
console.log('Per call, warm (µs, median):');
for (const cmd of [...BENIGN, ...GATED]) {
  const d = decideTool('Bash', { command: cmd }, warmCtx);
  console.log(`  ${perCall('Bash', { command: cmd }).toFixed(2).padStart(8)}  ${d.action.padEnd(6)} ${cmd}`);
}
const edit = { file_path: join(proj, 'src/app.ts'), old_string: 'a', new_string: 'b' };
console.log(`  ${perCall('Edit', edit, 5000).toFixed(2).padStart(8)}  ${decideTool('Edit', edit, warmCtx).action.padEnd(6)} Edit src/app.ts`);

// Whole processes, interleaved so drift hits every series alike.
const cjs = join(base, 'cjs', 'main.cjs');
const esm = join(base, 'esm', 'main.js');
const series = {
  'node -e 0': ['-e', '0'],
  "cjs, 'ls -la'": [cjs, 'ls -la'],
  "cjs, 'npm test'": [cjs, 'npm test'],
  "cjs, 'git status'": [cjs, 'git status'],
  "cjs, 'terraform destroy'": [cjs, 'terraform destroy'],
  "cjs, 'psql < drop.sql'": [cjs, 'psql < drop.sql'],
  "esm, 'ls -la'": [esm, 'ls -la'],
  "esm, 'terraform destroy'": [esm, 'terraform destroy'],
};
const times = Object.fromEntries(Object.keys(series).map((k) => [k, []]));
for (let i = 0; i < RUNS; i++) {
  for (const [k, argv] of Object.entries(series)) {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, argv);
    times[k].push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
}
const b0 = median(times['node -e 0']);
console.log(`\nWhole process, median of ${RUNS} (ms; ratio to node -e 0):`);
for (const [k, v] of Object.entries(times)) console.log(`  ${k.padEnd(28)} ${median(v).toFixed(1).padStart(6)}  ${(median(v) / b0).toFixed(3)}`);
rmSync(base, { recursive: true, force: true });
