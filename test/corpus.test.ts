import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Rule } from '../src/core/config.js';
import { type Decision, type DecisionContext, analyseBash, decideBash, decisionContext } from '../src/core/decide/index.js';

/**
 * The command corpus (test/corpus/*.json): every case is decided by decideBash in a
 * fixed sandbox and compared with its expected decision. Failures are listed all at
 * once, each with the file, the line, the command and what was decided instead.
 */
type Expected = 'allow' | 'verify:delete' | 'verify:push' | 'block';
type Row = [Expected, string, (string | null)?, Partial<Overrides>?];
interface Overrides {
  prePushHook: boolean;
  rules: Rule[];
  protectedBranches: string[];
  hooksPaths: string[];
  cliPaths: string[];
  /** Working directory, relative to the project. */
  cwd: string;
}

const CORPUS = join(dirname(new URL(import.meta.url).pathname), 'corpus');
const FILES = readdirSync(CORPUS).filter((f) => f.endsWith('.json')).sort();

export const CORPUS_RULES: Rule[] = [
  { command: 'npm publish', action: 'verify', tier: 'push' },
  { command: 'make deploy', action: 'block', reason: 'deploys go through CI' },
  { command: 'scripts/release.sh', action: 'verify' },
  { command: 'cargo publish', action: 'verify', tier: 'delete' },
];

/** The sandbox the corpus describes: a project on a feature branch, a repo on main beside it, and the files cases read. */
function sandbox(): { base: string; proj: string; home: string } {
  const base = mkdtempSync(join(tmpdir(), 'theguard-corpus-'));
  const proj = join(base, 'proj');
  const home = join(base, 'home');
  const files: Record<string, string> = {
    'proj/.git/HEAD': 'ref: refs/heads/feature/login\n',
    'mainrepo/.git/HEAD': 'ref: refs/heads/main\n',
    'proj/drop.sql': '-- cleanup\nDROP TABLE old_users;\n',
    'proj/schema.sql': 'CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n',
    'proj/includes.sql': 'SELECT 1;\n\\i drop.sql\n',
    'proj/migrations/cleanup.sql': 'DELETE FROM logs;\n',
    'proj/deploy.sh': '#!/bin/sh\nset -e\nterraform destroy -auto-approve\n',
    'proj/scripts/safe.sh': '#!/bin/sh\nnpm test\necho ok\n',
    'proj/scripts/nested.sh': 'npm test\nbash deploy.sh\n',
    'proj/unparseable.sh': 'coproc git push\n',
    'proj/unparseable-benign.sh': 'coproc cat\necho hi\n',
    'proj/bin/nuke': 'terraform destroy -auto-approve\n',
    'proj/bin/nuke.bash': '#!/usr/bin/env bash\nset -eu\nkubectl delete namespace prod\n',
    'proj/bin/report.py': '#!/usr/bin/env python3\nprint("terraform destroy is dangerous")\n',
    'proj/bin/tidy': '#!/bin/sh\nrm -rf dist\necho tidy\n',
    'proj/package-lock.json': '{}\n',
    'proj/package.json': JSON.stringify({
      name: 'app',
      theguard: { mcpDefault: 'verify' },
      scripts: { test: 'vitest run', clean: 'rm -rf dist', pretest: 'tsc --noEmit', nuke: 'terraform destroy -auto-approve', predeploy: 'npm test', deploy: 'kubectl delete namespace prod', wipe: 'bash deploy.sh' },
    }),
    // Claude Code's project settings, as init leaves them (globs naming them find them on disk).
    'proj/.claude/settings.json': '{"hooks":{}}\n',
    'home/.keep': '',
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(base, rel)), { recursive: true });
    writeFileSync(join(base, rel), text);
  }
  mkdirSync(join(proj, '.theguard'));
  mkdirSync(join(proj, 'src'));
  writeFileSync(join(proj, '.theguard', 'audit.jsonl'), '');
  symlinkSync(join(proj, '.theguard'), join(proj, 'link-to-state'));
  mkdirSync(join(proj, 'unreadable.sql'));
  mkdirSync(join(proj, 'unreadable.sh'));
  execFileSync('mkfifo', [join(proj, 'fifo.sql')]);
  return { base, proj, home };
}

const world = sandbox();
afterAll(() => rmSync(world.base, { recursive: true, force: true }));

function contextFor(o: Partial<Overrides> = {}): DecisionContext {
  return decisionContext({
    cwd: join(world.proj, o.cwd ?? '.'),
    projectRoot: world.proj,
    config: {
      stateDir: join(world.proj, '.theguard'),
      rules: o.rules ?? CORPUS_RULES,
      email: { provider: 'file', to: 'me@example.com', from: 'x', outbox: join(world.home, '.local/state/theguard/outbox'), apiKeyFile: '/srv/keys/resend.key', timeoutSeconds: 10 },
    },
    env: { HOME: world.home, PATH: '/usr/bin' },
    prePushHook: o.prePushHook ?? true,
    protectedBranches: o.protectedBranches,
    hooksPaths: o.hooksPaths,
    cliPaths: o.cliPaths,
    // The sandbox lives under /tmp, so /tmp cannot be the temp dir here.
    tempDirs: ['/var/tmp'],
  });
}

function shown(d: Decision): string {
  if (d.action === 'allow') return 'allow';
  if (d.action === 'verify') return `verify:${d.tier} [${d.ruleIds.join(', ')}] ${d.reasons[0] ?? ''}`;
  return `block [${d.ruleIds.join(', ')}] ${d.reason}`;
}

function check(row: Row): string | null {
  const [expected, command, ruleId, overrides] = row;
  const d = decideBash(command, contextFor(overrides));
  const got = d.action === 'verify' ? `verify:${d.tier}` : d.action;
  if (got !== expected) return `expected ${expected}${ruleId ? ` (${ruleId})` : ''}, got ${shown(d)}`;
  if (ruleId && d.action !== 'allow' && !d.ruleIds.includes(ruleId)) return `expected rule ${ruleId}, got ${shown(d)}`;
  return null;
}

const all = FILES.flatMap((file) => (JSON.parse(readFileSync(join(CORPUS, file), 'utf8')) as Row[]).map((row, i) => ({ file, line: i + 2, row })));

describe('command corpus', () => {
  it('holds at least 400 cases, at least half of them allowed look-alikes and everyday commands', () => {
    expect(all.length).toBeGreaterThanOrEqual(400);
    expect(all.filter((c) => c.row[0] === 'allow').length * 2).toBeGreaterThanOrEqual(all.length);
  });

  it('the fast path never decides differently from the full analysis', () => {
    const differ = all
      .map(({ file, line, row }) => {
        const ctx = contextFor(row[3]);
        const fast = shown(decideBash(row[1], ctx));
        const full = shown(analyseBash(row[1], ctx));
        return fast === full ? null : `${file}:${line} ${JSON.stringify(row[1])}\n    fast path: ${fast}\n    analysis:  ${full}`;
      })
      .filter((x) => x !== null);
    expect(differ, `\n${differ.join('\n')}\n`).toEqual([]);
  });

  it.each(FILES)('%s', (file) => {
    const failures = all
      .filter((c) => c.file === file)
      .map((c) => ({ c, why: check(c.row) }))
      .filter((f) => f.why !== null)
      .map(({ c, why }) => `${c.file}:${c.line} ${JSON.stringify(c.row[1])}\n    ${why}`);
    expect(failures, `\n${failures.join('\n')}\n`).toEqual([]);
  });
});
