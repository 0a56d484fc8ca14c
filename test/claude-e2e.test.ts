import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claudeBinary, runClaude } from './helpers/claude-cli.js';
import { type FakeApi, type Step, startFakeApi } from './helpers/fake-anthropic.js';
import { filesUnder as files } from './helpers/leaks.js';
import { ROOT, Sandbox, codeIn } from './helpers/sandbox.js';

/**
 * theguard inside a real Claude Code session. The real CLI (installed from npm on first
 * run) talks to a scripted stand-in for the Messages API on 127.0.0.1 that answers with
 * chosen tool calls and records every request. theguard is installed with `theguard
 * init`, exactly as a user would. "The human" acts between model turns: reads the code
 * from the outbox and types it into `theguard verify`.
 */
let sb: Sandbox;
let api: FakeApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
  sb?.cleanup();
});


/** What Claude Code keeps for this project's sessions under /tmp/claude-<uid>/ (its notes dir). */
function sessionNotes(): { path: string; text: string }[] {
  const root = join(tmpdir(), `claude-${process.getuid?.() ?? 0}`);
  if (!existsSync(root)) return [];
  const mine = basename(sb.base);
  return readdirSync(root).filter((d) => d.includes(mine)).flatMap((d) => files(join(root, d)));
}

/** The human: wait for the newest email, then type its code into `theguard verify`. */
function humanVerifies(expectedMails: number): () => Promise<void> {
  return async () => {
    for (let i = 0; i < 200 && sb.mails().length < expectedMails; i++) await new Promise((r) => setTimeout(r, 50));
    const res = await sb.cli(['verify'], { input: `${sb.lastCode()}\n` });
    if (res.code !== 0) throw new Error(`verify failed: ${res.stdout}${res.stderr}`);
  };
}

async function session(script: Step[], extra: { mcpConfig?: string; allowedTools?: string } = {}) {
  api = await startFakeApi(script);
  const res = await runClaude({
    cwd: sb.repo,
    home: sb.env.HOME as string,
    apiUrl: api.url,
    env: { XDG_CONFIG_HOME: sb.env.XDG_CONFIG_HOME, XDG_STATE_HOME: sb.env.XDG_STATE_HOME, GIT_CONFIG_NOSYSTEM: '1' },
    ...(extra.allowedTools ? { allowedTools: extra.allowedTools } : {}),
    ...(extra.mcpConfig ? { extraArgs: ['--mcp-config', extra.mcpConfig] } : {}),
  });
  return { res, results: api.toolResults() };
}

async function setUp(config: object = {}): Promise<void> {
  sb = new Sandbox({ config: { email: { to: 'jane@example.com' }, ...config } });
  claudeBinary(); // install before timing-sensitive work
  const init = await sb.cli(['init', '--yes']);
  if (init.code !== 0) throw new Error(`init failed: ${init.stderr}`);
}

describe('theguard in a real Claude Code session', () => {
  it('a destructive command is denied with instructions (never the code); after theguard verify the retry runs exactly once', async () => {
    await setUp();
    // A stand-in terraform, called by absolute path, that records every run.
    const log = join(sb.base, 'terraform.log');
    const terraform = join(sb.base, 'bin', 'terraform');
    mkdirSync(join(sb.base, 'bin'));
    writeFileSync(terraform, `#!/bin/sh\necho "$@" >> ${log}\n`, { mode: 0o755 });
    const command = `${terraform} destroy -auto-approve`;
    const bash = { toolUse: { name: 'Bash', input: { command, description: 'Tear down the stack' } } };
    const { res, results } = await session([bash, { ...bash, before: humanVerifies(1) }, bash, { text: 'Done.' }]);
    expect(res.code).toBe(0);
    expect(results).toHaveLength(3);
    const [first, second, third] = results;
    expect(first?.isError).toBe(true);
    expect(first?.text).toMatch(/needs human approval.*A code was sent to j\*\*\*@e\*\*\*\.com.*Ask the human to run `theguard verify [a-z0-9]{8}` in their own terminal/s);
    expect(second?.isError).toBe(false);
    expect(third?.isError).toBe(true);
    expect(third?.text).toMatch(/A code was sent/);
    expect(readFileSync(log, 'utf8')).toBe('destroy -auto-approve\n');
    // The code never reached the model, nor anything the session wrote under HOME.
    const codes = sb.mails().map((m) => codeIn(m) as string);
    expect(codes).toHaveLength(2);
    for (const code of codes) {
      const re = new RegExp(`(?<!\\d)${code}(?!\\d)`);
      expect(api?.rawBodies.some((b) => re.test(b))).toBe(false);
      expect(files(join(sb.env.HOME as string, '.claude')).filter((f) => re.test(f.text)).map((f) => f.path)).toEqual([]);
      expect(files(sb.repo).filter((f) => re.test(f.text)).map((f) => f.path)).toEqual([]);
      expect(sessionNotes().filter((f) => re.test(f.text)).map((f) => f.path)).toEqual([]);
    }
    expect(files(join(sb.env.HOME as string, '.claude', 'projects')).length).toBeGreaterThan(0);
  });

  it('an MCP rule binds the exact parameters: a refund of 10 to cus_1 approved does not pay 1000 to cus_2', async () => {
    await setUp({ rules: [{ tool: 'mcp__stripe__create_refund', action: 'verify', tier: 'delete' }] });
    const calls = join(sb.base, 'refunds.log');
    const mcpConfig = join(sb.base, 'mcp.json');
    writeFileSync(mcpConfig, JSON.stringify({ mcpServers: { stripe: { command: process.execPath, args: [join(ROOT, 'test/helpers/mcp-stripe.mjs'), calls] } } }));
    const refund = (amount: number, customer: string): Step => ({ toolUse: { name: 'mcp__stripe__create_refund', input: { amount, customer } } });
    const { results } = await session(
      [refund(10, 'cus_1'), { ...refund(1000, 'cus_2'), before: humanVerifies(1) }, refund(10, 'cus_1'), { text: 'Done.' }],
      { mcpConfig, allowedTools: 'mcp__stripe__create_refund' },
    );
    expect(results.map((r) => r.isError)).toEqual([true, true, false]);
    expect(results[1]?.text).toMatch(/A code was sent/);
    expect(readFileSync(calls, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([{ tool: 'create_refund', arguments: { amount: 10, customer: 'cus_1' } }]);
  });

  it('a push to main from the session needs exactly one verification: the pre-push hook asks, the Claude hook steps aside', async () => {
    await setUp();
    const env = { ...sb.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' };
    const origin = join(sb.base, 'origin.git');
    const git = (...args: string[]) => execFileSync('git', args, { env, encoding: 'utf8' }).trim();
    git('init', '-q', '--bare', '-b', 'main', origin);
    git('-C', sb.repo, 'checkout', '-q', '-b', 'main');
    git('-C', sb.repo, 'remote', 'add', 'origin', origin);
    writeFileSync(join(sb.repo, 'a.txt'), 'a\n');
    git('-C', sb.repo, 'add', 'a.txt');
    git('-C', sb.repo, 'commit', '-q', '-m', 'a');
    const head = git('-C', sb.repo, 'rev-parse', 'HEAD');
    const push = { toolUse: { name: 'Bash', input: { command: 'git push origin main', description: 'Push' } } };
    const { res, results } = await session([push, { ...push, before: humanVerifies(1) }, { text: 'Done.' }]);
    expect(res.code).toBe(0);
    expect(results).toHaveLength(2);
    // The first push reached git (the Claude hook left it to pre-push), which refused it.
    expect(results[0]?.isError).toBe(true);
    expect(results[0]?.text).toMatch(/theguard: push stopped: git push origin: create main.*A code was sent to j\*\*\*@e\*\*\*\.com.*run `theguard verify`.*failed to push/s);
    expect(results[1]?.isError).toBe(false);
    expect(git('--git-dir', origin, 'rev-parse', 'main')).toBe(head);
    // One email, one code, and the code went nowhere the model reads.
    expect(sb.mails()).toHaveLength(1);
    expect(sb.mails()[0]).toMatch(/Subject: theguard: approve git push origin: create main/);
    const re = new RegExp(`(?<!\\d)${codeIn(sb.mails()[0] ?? "") as string}(?!\\d)`);
    expect(api?.rawBodies.some((b) => re.test(b))).toBe(false);
  });

  it('the hook runs for every tool: a rule on WebFetch is enforced by Claude Code', async () => {
    await setUp({ rules: [{ tool: 'WebFetch', action: 'block', reason: 'no web access from this project' }] });
    const fetch = { toolUse: { name: 'WebFetch', input: { url: 'http://127.0.0.1:9/notes', prompt: 'Summarise the page.' } } };
    const { results } = await session([fetch, { text: 'Done.' }], { allowedTools: 'WebFetch' });
    expect(results).toHaveLength(1);
    expect(results[0]?.isError).toBe(true);
    expect(results[0]?.text).toMatch(/theguard blocks this call to WebFetch: no web access from this project/);
  });

  it('self-protection holds: the agent cannot read theguard\'s state, its pepper, or switch off the hooks', async () => {
    await setUp();
    const settingsBefore = readFileSync(join(sb.repo, '.claude/settings.json'), 'utf8');
    const { results } = await session([
      { toolUse: { name: 'Read', input: { file_path: join(sb.repo, '.theguard/audit.jsonl') } } },
      { toolUse: { name: 'Bash', input: { command: `cat ${sb.pepperPath} | base64`, description: 'look' } } },
      { toolUse: { name: 'Write', input: { file_path: join(sb.repo, '.claude/settings.json'), content: '{"disableAllHooks": true}' } } },
      { toolUse: { name: 'Bash', input: { command: 'echo 000000 | theguard verify', description: 'approve' } } },
      { text: 'Done.' },
    ]);
    expect(results).toHaveLength(4);
    // Each is refused by theguard's hook, or earlier by the deny rules `theguard init` added.
    for (const r of results) {
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/theguard (blocks|protects)|denied by your permission settings/);
    }
    // No permission rule covers this one: it is theguard's hook that refuses it.
    expect(results[3]?.text).toMatch(/theguard blocks .*theguard verify/s);
    expect(readFileSync(join(sb.repo, '.claude/settings.json'), 'utf8')).toBe(settingsBefore);
    expect(sb.mails()).toHaveLength(0);
  });
});
