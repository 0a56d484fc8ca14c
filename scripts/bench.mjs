#!/usr/bin/env node
// npm run bench: the figures docs/performance.md quotes. Whole-process timings are
// medians of several runs, set against a baseline (`node -e 0`) measured in the same
// run, because this machine is shared and absolute numbers drift.
//
//   node scripts/bench.mjs [--runs N] [--json]
import { execFileSync, spawnSync } from 'node:child_process';
import { scrypt, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 9;
const asJson = args.includes('--json');

const { KDF_DEFAULTS, createGuard } = await import(join(ROOT, 'dist', 'index.js'));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const log = (s) => asJson || process.stdout.write(`${s}\n`);

// A private world: repo, config, outbox.
const base = mkdtempSync(join(tmpdir(), 'theguard-bench-'));
const repo = join(base, 'repo');
mkdirSync(repo);
execFileSync('git', ['init', '-q', repo]);
const env = { ...process.env, XDG_CONFIG_HOME: join(base, 'config'), XDG_STATE_HOME: join(base, 'state') };
Object.assign(process.env, env);
const outbox = join(base, 'state', 'theguard', 'outbox');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/**
 * Wall time (ms) of one whole process and, with `rss` and where /usr/bin/time exists, its
 * peak RSS (KiB). Ratios are measured without the wrapper: it adds the same time to both
 * sides and would flatter them.
 */
function measure(argv, input, rss = false) {
  const cmd = rss && TIME ? [TIME, '-f', '%M', ...argv] : argv;
  const t0 = process.hrtime.bigint();
  const res = spawnSync(cmd[0], cmd.slice(1), { cwd: repo, env, input: input ?? '', encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const peak = rss && TIME ? Number(res.stderr.trim().split('\n').pop()) : null;
  return { ms, rss: peak, status: res.status, stdout: res.stdout, stderr: res.stderr };
}

// 1. The cost of one verifier (scrypt over the peppered code), in this process.
const { N, r, p } = KDF_DEFAULTS;
const scryptOnce = () =>
  new Promise((ok, fail) => {
    const t0 = process.hrtime.bigint();
    scrypt(randomBytes(32), randomBytes(16), 32, { N, r, p, maxmem: 128 * N * r * p + 16 * 1024 * 1024 }, (err) =>
      err ? fail(err) : ok(Number(process.hrtime.bigint() - t0) / 1e6),
    );
  });
await scryptOnce(); // warm up
const scryptMs = [];
for (let i = 0; i < RUNS; i++) scryptMs.push(await scryptOnce());
const hashMs = median(scryptMs);

// 2. What that means for an attacker who stole the verifier AND the pepper.
const cores = availableParallelism();
const guard = await createGuard({ cwd: repo });
const codeTtl = guard.config.push.codeTtlSeconds;
const sweepSeconds = (1e6 * hashMs) / 1000 / cores;
const sweepRatio = sweepSeconds / codeTtl;

// 3. `theguard verify` end to end, whole process, against `node -e 0`.
const baseline = [];
const verify = [];
const verifyRss = [];
let n = 0;
const lastCode = () => {
  const names = readdirSync(outbox).filter((f) => f.endsWith('.eml')).sort();
  return readFileSync(join(outbox, names[names.length - 1]), 'utf8').match(/Your theguard code: (\d{6})/)[1];
};
for (let i = 0; i < RUNS; i++) {
  baseline.push(measure([process.execPath, '-e', '0']).ms);
  const op = { tier: 'push', action: 'bench', summary: `bench ${n++}`, params: { n } };
  const req = await guard.request(op);
  const m = measure([process.execPath, CLI, 'verify', req.clearance.id], `${lastCode()}\n`);
  if (m.status !== 0) throw new Error(`verify failed: ${m.stderr}`);
  verify.push(m.ms);
  guard.consume(op);
  // Peak memory from a separate run under /usr/bin/time (it would skew the timing).
  const op2 = { tier: 'push', action: 'bench', summary: `bench ${n++}`, params: { n } };
  const req2 = await guard.request(op2);
  const r = measure([process.execPath, CLI, 'verify', req2.clearance.id], `${lastCode()}\n`, true);
  if (r.rss) verifyRss.push(r.rss);
  guard.consume(op2);
}
// 4. The Claude Code PreToolUse hook, whole process, against `node -e 0` in the same
// run (alternating, so drift hits both alike). Every agent tool call pays for this.
const HOOK = join(ROOT, 'dist', 'hooks', 'pre-tool-use.cjs');
writeFileSync(join(repo, '.theguard.json'), JSON.stringify({ rateLimit: { perSession: 100, perProject: 1000 } }));
// A package.json like a real project's: `npm test` makes the hook look at the scripts it runs.
writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'bench', scripts: { test: 'vitest run', build: 'tsup', clean: 'rm -rf dist', lint: 'eslint .' } }));
const call = (tool, input, session = 'bench') =>
  JSON.stringify({ hook_event_name: 'PreToolUse', session_id: session, cwd: repo, permission_mode: 'default', tool_name: tool, tool_input: input, tool_use_id: 'toolu_bench' });
const hookRun = (payload) => {
  const m = measure([process.execPath, HOOK], payload);
  if (m.status !== 0) throw new Error(`the hook exited ${m.status}: ${m.stderr}`);
  return m;
};
hookRun(call('Bash', { command: 'true' })); // the first call validates the config and leaves its snapshot
const HOOK_RUNS = Math.max(RUNS, 41);
const hookCases = {
  'Bash `ls -la`': () => call('Bash', { command: 'ls -la', description: 'List files' }),
  'Bash `npm test` (package.json scripts checked)': () => call('Bash', { command: 'npm test' }),
  'Bash `git status && git diff --stat`': () => call('Bash', { command: 'git status && git diff --stat' }),
  'Read README.md': () => call('Read', { file_path: join(repo, 'README.md') }),
  'Bash `git lg -5` (may be a git alias: full analyser, config files read; allowed)': () => call('Bash', { command: 'git lg -5' }),
  'Bash `echo "$(git log -1)" | grep -q x` (needs the full analyser; allowed)': () => call('Bash', { command: 'echo "$(git log -1 --format=%s)" | grep -q release || true' }),
};
// Each hook run is paired with a baseline run right before it; the figure is the median of
// the pairs' ratios, which drift on a shared machine cannot tilt the way it tilts two medians.
const paired = (b, h) => ({ medianMs: +median(h).toFixed(1), baselineMs: +median(b).toFixed(1), ratio: +median(h.map((x, i) => x / b[i])).toFixed(3) });
const hook = {};
for (const [name, payload] of Object.entries(hookCases)) {
  const b = [];
  const h = [];
  for (let i = 0; i < HOOK_RUNS; i++) {
    b.push(measure([process.execPath, '-e', '0']).ms);
    h.push(hookRun(payload()).ms);
  }
  hook[name] = paired(b, h);
}
// A gated call: a new operation each time, so each one sends a code (request, scrypt, delivery, audit).
const gatedB = [];
const gatedH = [];
for (let i = 0; i < Math.min(RUNS, 11); i++) {
  gatedB.push(measure([process.execPath, '-e', '0']).ms);
  const m = hookRun(call('Bash', { command: `terraform destroy -auto-approve -target=module.m${i}` }, `bench-${i}`));
  if (!m.stdout.includes('"permissionDecision":"deny"')) throw new Error(`a gated call was not denied: ${m.stdout}`);
  gatedH.push(m.ms);
}
hook['Bash `terraform destroy` (gated: a code is sent)'] = paired(gatedB, gatedH);
rmSync(base, { recursive: true, force: true });

const result = {
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores, node: process.version },
  runs: RUNS,
  scrypt: { N, r, p, medianMs: +hashMs.toFixed(1), memoryMiB: (128 * N * r * p) / 2 ** 20 },
  sweep: { codes: 1e6, cores, seconds: Math.round(sweepSeconds), codeTtlSeconds: codeTtl, ratio: +sweepRatio.toFixed(1), goal: '>= 100' },
  verify: {
    medianMs: Math.round(median(verify)),
    baselineMs: Math.round(median(baseline)),
    ratioToBaseline: +(median(verify) / median(baseline)).toFixed(2),
    peakRssMiB: verifyRss.length ? +(median(verifyRss) / 1024).toFixed(1) : null,
    goal: '<= 1000 ms',
  },
  preToolUseHook: { runs: HOOK_RUNS, goal: 'plain calls <= 1.15 x node -e 0', cases: hook },
};

if (asJson) {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} else {
  log(`theguard bench: ${result.machine.cpu}, ${cores} cores, Node ${process.version}, ${RUNS} runs each (medians)`);
  log('');
  log(`scrypt verifier (N=2^${Math.log2(N)}, r=${r}, p=${p}, ${result.scrypt.memoryMiB} MiB): ${result.scrypt.medianMs} ms per guess`);
  log(`sweep of all 10^6 codes on ${cores} cores, even with the pepper: ${result.sweep.seconds} s`);
  log(`  = ${result.sweep.ratio} x the push code lifetime (${codeTtl} s); goal >= 100: ${sweepRatio >= 100 ? 'met' : 'NOT MET'}`);
  log(`theguard verify, whole process: ${result.verify.medianMs} ms (node -e 0: ${result.verify.baselineMs} ms, ratio ${result.verify.ratioToBaseline})${result.verify.peakRssMiB ? `, peak RSS ${result.verify.peakRssMiB} MiB` : ''}`);
  log(`  goal <= 1000 ms: ${median(verify) <= 1000 ? 'met' : 'NOT MET'}`);
  log(`Claude Code PreToolUse hook, whole process, ${HOOK_RUNS} runs each paired with node -e 0 (goal for plain calls: <= 1.15):`);
  for (const [name, r] of Object.entries(hook)) log(`  ${name}: ${r.medianMs} ms (node -e 0: ${r.baselineMs} ms), median ratio ${r.ratio}`);
}
