import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HOOK, callHook } from './helpers/hook.js';
import { ROOT, Sandbox, codeIn, run } from './helpers/sandbox.js';

/**
 * The PreToolUse hook as Claude Code runs it: the built hook, a real process, one JSON
 * call on stdin with the payload shapes Claude Code sends. Every answer must be silence
 * or exactly one deny, with exit 0, and never the code.
 */
let sb: Sandbox;
afterEach(() => sb?.cleanup());

const verify = async (id: string, code = sb.lastCode()) => (await sb.cli(['verify', id], { input: `${code}\n` })).code;
const requestId = (reason: string | null) => reason?.match(/theguard verify ([a-z0-9]{8})/)?.[1] as string;

describe('plain calls stay silent (Claude Code\'s own permissions decide)', () => {
  it.each([
    ['Bash', { command: 'ls -la', description: 'List files' }],
    ['Bash', { command: 'npm test -- --watch=false', description: 'Run tests', timeout: 120000 }],
    ['Bash', { command: 'git status && git log --oneline -5 | cat' }],
    ['Bash', { command: 'rm -rf node_modules dist', description: 'clean' }],
    ['Bash', { command: 'echo "DROP TABLE users" | grep -c DROP' }],
    ['Read', { file_path: '/REPO/README.md' }],
    ['Read', { file_path: '/REPO/src/index.ts', offset: 10, limit: 50 }],
    ['Write', { file_path: '/REPO/notes.txt', content: 'hello' }],
    ['Edit', { file_path: '/REPO/src/a.ts', old_string: 'a', new_string: 'b', replace_all: false }],
    ['MultiEdit', { file_path: '/REPO/src/a.ts', edits: [{ old_string: 'a', new_string: 'b' }] }],
    ['NotebookEdit', { notebook_path: '/REPO/n.ipynb', new_source: 'print(1)', cell_id: 'c1', edit_mode: 'replace' }],
    ['Glob', { pattern: '**/*.ts', path: '/REPO/src' }],
    ['Grep', { pattern: 'TODO', path: '/REPO', glob: '*.ts', output_mode: 'content', '-n': true }],
  ] as const)('%s %j', async (tool, input) => {
    sb = new Sandbox();
    const fixed = JSON.parse(JSON.stringify(input).replaceAll('/REPO', sb.repo)) as Record<string, unknown>;
    const res = await callHook(sb, tool, fixed);
    expect(res.code).toBe(0);
    expect(res.denied).toBeNull();
    expect(res.stderr).toBe('');
    expect(sb.mails()).toHaveLength(0);
  });
});

describe('a destructive command needs the human', () => {
  it('is denied with what to tell the human; a retry sends no new code; after verify it passes exactly once', async () => {
    sb = new Sandbox({ config: { email: { to: 'jane@example.com' } } });
    const call = { command: 'terraform destroy -auto-approve', description: 'Tear down' };
    const first = await callHook(sb, 'Bash', call);
    expect(first.code).toBe(0);
    expect(first.denied).toMatch(/^This `terraform destroy -auto-approve` needs human approval: .*\(rule terraform\.destroy\)\. A code was sent to j\*\*\*@e\*\*\*\.com \(request [a-z0-9]{8}, valid for (5m 0s|4m 5\ds)\)\. Ask the human to run `theguard verify [a-z0-9]{8}` in their own terminal/);
    const code = sb.lastCode();
    expect(first.stdout).not.toContain(code);
    const retry = await callHook(sb, 'Bash', { ...call, description: 'again, with another caption' });
    expect(retry.denied).toMatch(/A code was already sent .*no new code was sent/);
    expect(sb.mails()).toHaveLength(1);
    expect(await verify(requestId(first.denied), code)).toBe(0);
    const approved = await callHook(sb, 'Bash', call);
    expect(approved.denied).toBeNull();
    expect(approved.stdout).toBe('');
    const again = await callHook(sb, 'Bash', call);
    expect(again.denied).toMatch(/A code was sent/);
    expect(sb.mails()).toHaveLength(2);
  });

  it('the approval binds the exact command and directory', async () => {
    sb = new Sandbox();
    const first = await callHook(sb, 'Bash', { command: 'terraform destroy -auto-approve' });
    expect(await verify(requestId(first.denied))).toBe(0);
    mkdirSync(join(sb.repo, 'infra'));
    expect((await callHook(sb, 'Bash', { command: 'terraform destroy -auto-approve' }, { cwd: join(sb.repo, 'infra') })).denied).not.toBeNull();
    expect((await callHook(sb, 'Bash', { command: 'terraform destroy -auto-approve -target=aws_db.main' })).denied).not.toBeNull();
    expect((await callHook(sb, 'Bash', { command: 'terraform destroy -auto-approve' })).denied).toBeNull();
  });

  it('a package.json script is read: `npm run nuke` is gated when the script destroys, `npm test` passes', async () => {
    sb = new Sandbox();
    writeFileSync(join(sb.repo, 'package.json'), JSON.stringify({ scripts: { test: 'vitest run', clean: 'rm -rf dist', nuke: 'terraform destroy -auto-approve' } }));
    expect((await callHook(sb, 'Bash', { command: 'npm run nuke' })).denied).toMatch(/This `terraform destroy -auto-approve` needs human approval/);
    expect((await callHook(sb, 'Bash', { command: 'yarn nuke' })).denied).toMatch(/needs human approval/);
    expect((await callHook(sb, 'Bash', { command: 'npm test' })).denied).toBeNull();
    expect((await callHook(sb, 'Bash', { command: 'npm run clean' })).denied).toBeNull();
  });

  it('the approval binds the files read to judge it: a script edited after approval needs a new code', async () => {
    sb = new Sandbox();
    writeFileSync(join(sb.repo, 'teardown.sh'), 'terraform destroy -auto-approve -target=aws_instance.scratch\n');
    writeFileSync(join(sb.repo, 'package.json'), JSON.stringify({ scripts: { nuke: 'terraform destroy -auto-approve -target=aws_instance.scratch' } }));
    const first = await callHook(sb, 'Bash', { command: 'bash teardown.sh' });
    expect(first.denied).toMatch(/needs human approval/);
    expect(await verify(requestId(first.denied))).toBe(0);
    // The human approved the scratch instance; the agent now points the script at production.
    writeFileSync(join(sb.repo, 'teardown.sh'), 'terraform destroy -auto-approve\n');
    const swapped = await callHook(sb, 'Bash', { command: 'bash teardown.sh' });
    expect(swapped.denied).toMatch(/A code was sent/);
    expect(requestId(swapped.denied)).not.toBe(requestId(first.denied));
    expect(sb.mails()).toHaveLength(2);
    // Put back as approved, the approval still works, once.
    writeFileSync(join(sb.repo, 'teardown.sh'), 'terraform destroy -auto-approve -target=aws_instance.scratch\n');
    expect((await callHook(sb, 'Bash', { command: 'bash teardown.sh' })).denied).toBeNull();
    // The same for a package.json script.
    const npm = await callHook(sb, 'Bash', { command: 'npm run nuke' });
    expect(await verify(requestId(npm.denied))).toBe(0);
    writeFileSync(join(sb.repo, 'package.json'), JSON.stringify({ scripts: { nuke: 'terraform destroy -auto-approve' } }));
    expect((await callHook(sb, 'Bash', { command: 'npm run nuke' })).denied).toMatch(/A code was sent/);
  });

  it('the email shows the command exactly, and why it was stopped', async () => {
    sb = new Sandbox();
    await callHook(sb, 'Bash', { command: "psql -c 'DROP TABLE users' prod", description: 'x' });
    const mail = sb.mails()[0] as string;
    expect(mail).toMatch(/Subject: theguard: approve \$ psql -c 'DROP TABLE users' prod/);
    expect(mail).toContain('Command, exactly as the agent wrote it:');
    expect(mail).toMatch(/sql\./);
  });
});

describe('per-tool rules (allow / verify / block)', () => {
  const rules = [
    { tool: 'mcp__stripe__create_refund', action: 'verify', tier: 'delete' },
    { tool: 'mcp__stripe__list_*', action: 'allow' },
    { tool: 'mcp__github__delete_*', action: 'block', reason: 'repositories are deleted by hand' },
    { command: 'npm publish', action: 'verify', tier: 'push' },
  ];

  it('verify: approving a refund of 10 to cus_1 does not approve 1000 to cus_2', async () => {
    sb = new Sandbox({ config: { rules } });
    const small = { amount: 10, customer: 'cus_1' };
    const first = await callHook(sb, 'mcp__stripe__create_refund', small);
    expect(first.denied).toMatch(/needs human approval/);
    const mail = sb.mails()[0] as string;
    expect(mail).toMatch(/"amount": 10,/);
    expect(mail).toMatch(/"customer": "cus_1"/);
    expect(await verify(requestId(first.denied))).toBe(0);
    const big = await callHook(sb, 'mcp__stripe__create_refund', { amount: 1000, customer: 'cus_2' });
    expect(big.denied).toMatch(/A code was sent/);
    expect((await callHook(sb, 'mcp__stripe__create_refund', small)).denied).toBeNull();
    expect((await callHook(sb, 'mcp__stripe__create_refund', small)).denied).not.toBeNull();
  });

  it('allow: listing passes; block: denied with the reason and no code; unknown MCP tools follow mcpDefault', async () => {
    sb = new Sandbox({ config: { rules } });
    expect((await callHook(sb, 'mcp__stripe__list_customers', {})).denied).toBeNull();
    const blocked = await callHook(sb, 'mcp__github__delete_repo', { repo: 'x/y' });
    expect(blocked.denied).toMatch(/repositories are deleted by hand/);
    expect(sb.mails()).toHaveLength(0);
    const unknown = await callHook(sb, 'mcp__linear__archive_issue', { id: 'LIN-1' });
    expect(unknown.denied).toMatch(/needs human approval/);
    expect(sb.mails()).toHaveLength(1);
  });

  it('a command rule gates `npm publish` at the push tier', async () => {
    sb = new Sandbox({ config: { rules } });
    const res = await callHook(sb, 'Bash', { command: 'npm publish --access public' });
    expect(res.denied).toMatch(/needs human approval/);
    expect(sb.mails()[0]).toMatch(/Tier: +push tier/);
  });
});

describe('self-protection: no code unlocks it', () => {
  it.each([
    ['Read', (s: Sandbox) => ({ file_path: join(s.stateDir, 'audit.jsonl') })],
    ['Read', (s: Sandbox) => ({ file_path: s.pepperPath })],
    ['Glob', (s: Sandbox) => ({ pattern: '*.eml', path: s.outbox })],
    ['Grep', (s: Sandbox) => ({ pattern: 'code', path: join(s.base, 'state') })],
    ['Edit', (s: Sandbox) => ({ file_path: join(s.repo, '.theguard.json'), old_string: '5', new_string: '10' })],
    ['Write', (s: Sandbox) => ({ file_path: join(s.repo, '.claude/settings.json'), content: '{"disableAllHooks": true}' })],
    ['Bash', () => ({ command: 'cat .theguard/grants/*.json' })],
    ['Bash', () => ({ command: 'git push --no-verify origin main' })],
    ['Bash', () => ({ command: 'git -c core.hooksPath=/dev/null push origin main' })],
    ['Bash', () => ({ command: 'theguard verify' })],
    ['Bash', () => ({ command: 'echo 123456 | npx theguard verify' })],
    ['Bash', () => ({ command: 'XDG_CONFIG_HOME=/tmp/mine git push origin main' })],
    ['Bash', () => ({ command: 'rm .git/hooks/pre-push' })],
    ['Write', (s: Sandbox) => ({ file_path: join(s.base, 'state', 'theguard', 'snapshots', 'x.json'), content: '{}' })],
    ['Bash', (s: Sandbox) => ({ command: `echo '{}' > ${join(s.base, 'state', 'theguard', 'snapshots', 'x.json')}` })],
  ] as const)('%s is denied', async (tool, input) => {
    sb = new Sandbox();
    const res = await callHook(sb, tool, input(sb));
    expect(res.code).toBe(0);
    expect(res.denied).toMatch(/theguard (blocks|protects)/);
    expect(sb.mails()).toHaveLength(0);
  });

  it('the deny rules init added cannot be edited away; unrelated settings can be changed', async () => {
    sb = new Sandbox();
    expect((await sb.cli(['init', '--email', 'me@example.com', '--yes'])).code).toBe(0);
    const file = join(sb.repo, '.claude/settings.json');
    const drop = await callHook(sb, 'Edit', { file_path: file, old_string: '"Edit(/.theguard.json)"', new_string: '"Edit(/elsewhere)"' });
    expect(drop.denied).toMatch(/theguard blocks this call to Edit: it would change Claude Code/);
    const soften = await callHook(sb, 'Edit', { file_path: file, old_string: '"onFailure": "block"', new_string: '"onFailure": "ignore"' });
    expect(soften.denied).toMatch(/theguard blocks/);
    const s = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const model = await callHook(sb, 'Write', { file_path: file, content: JSON.stringify({ ...s, model: 'opus' }, null, 2) });
    expect(model.denied).toBeNull();
  });

  it('and every block is in the audit log', async () => {
    sb = new Sandbox();
    await callHook(sb, 'Bash', { command: 'cat ~/.config/theguard/pepper' });
    const audit = (await sb.cli(['audit', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; actor: { via: string; session?: string }; detail?: string });
    expect(audit).toEqual([expect.objectContaining({ event: 'blocked', actor: expect.objectContaining({ via: 'hook:pre-tool-use', session: 'session-1' }) })]);
  });
});

describe('git push: exactly one verification', () => {
  function repoWithRemote(s: Sandbox): void {
    const env = { ...s.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' };
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', join(s.base, 'origin.git')], { env });
    execFileSync('git', ['-C', s.repo, 'checkout', '-q', '-b', 'main'], { env });
    execFileSync('git', ['-C', s.repo, 'remote', 'add', 'origin', join(s.base, 'origin.git')], { env });
    writeFileSync(join(s.repo, 'a.txt'), 'a\n');
    execFileSync('git', ['-C', s.repo, 'add', '.'], { env });
    execFileSync('git', ['-C', s.repo, 'commit', '-q', '-m', 'a'], { env });
  }

  it('with the pre-push hook installed, the Claude Code hook leaves the push to it', async () => {
    sb = new Sandbox();
    repoWithRemote(sb);
    expect((await sb.cli(['init', '--email', 'me@example.com', '--yes'])).code).toBe(0);
    expect((await callHook(sb, 'Bash', { command: 'git push origin main' })).denied).toBeNull();
    expect(sb.mails()).toHaveLength(0);
    expect((await callHook(sb, 'Bash', { command: 'git push --no-verify origin main' })).denied).toMatch(/no-verify/);
    // Whatever would make the pre-push hook step aside is refused: then nobody would ask.
    for (const command of ['HUSKY=0 git push origin main', 'LEFTHOOK=0 git push origin main', 'THEGUARD_CHAINED=1 git push origin main', 'export HUSKY=0; git push origin main', 'GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.hooksPath GIT_CONFIG_VALUE_0=/dev/null git push origin main']) {
      expect((await callHook(sb, 'Bash', { command })).denied, command).toMatch(/theguard blocks/);
    }
    expect(sb.mails()).toHaveLength(0);
  });

  it('in a linked worktree (as Claude Code makes them) the main checkout\'s configuration, state and pre-push hook apply', async () => {
    sb = new Sandbox();
    repoWithRemote(sb);
    expect((await sb.cli(['init', '--email', 'me@example.com', '--yes'])).code).toBe(0);
    const wt = join(sb.repo, '.claude', 'worktrees', 'agent-1');
    execFileSync('git', ['-C', sb.repo, 'worktree', 'add', '-q', '-b', 'agent-1', wt], { env: sb.env });
    expect((await callHook(sb, 'Bash', { command: 'git push origin agent-1:main' }, { cwd: wt })).denied).toBeNull();
    expect((await callHook(sb, 'Bash', { command: 'cat ../../../.theguard/audit.jsonl' }, { cwd: wt })).denied).toMatch(/theguard (blocks|protects)/);
    expect((await callHook(sb, 'Read', { file_path: join(sb.repo, '.theguard.json') }, { cwd: wt })).denied).toBeNull();
    expect((await callHook(sb, 'Write', { file_path: join(sb.repo, '.theguard.json'), content: '{}' }, { cwd: wt })).denied).toMatch(/theguard (blocks|protects)/);
    const gated = await callHook(sb, 'Bash', { command: 'terraform destroy' }, { cwd: wt });
    expect(gated.denied).toMatch(/A code was sent to m\*\*\*@e\*\*\*\.com/);
    expect(sb.mails()[0]).toMatch(/^To: me@example\.com$/m);
    const pending = JSON.parse((await sb.cli(['status', '--json'])).stdout) as { pending: unknown[] };
    expect(pending.pending).toHaveLength(1);
  });

  it('without it, the Claude Code hook gates the push itself', async () => {
    sb = new Sandbox();
    repoWithRemote(sb);
    const res = await callHook(sb, 'Bash', { command: 'git push origin main' });
    expect(res.denied).toMatch(/needs human approval/);
    expect(sb.mails()).toHaveLength(1);
    expect((await callHook(sb, 'Bash', { command: 'git push origin feature/x' })).denied).toBeNull();
  });
});

describe('never fails open', () => {
  it.each([
    ['not JSON', '{"tool_name": "Bash", '],
    ['a JSON array', '[1, 2]'],
    ['no tool_name', JSON.stringify({ hook_event_name: 'PreToolUse', tool_input: {}, cwd: '/' })],
    ['no cwd', JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'ls' } })],
    ['a relative cwd', JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'ls' }, cwd: 'repo' })],
    ['another event', JSON.stringify({ hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: 'ls' }, cwd: '/' })],
    ['a Bash call without a command', JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: {}, cwd: '/tmp' })],
    ['more than 1 MiB', JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: `echo ${'x'.repeat(1_100_000)}` }, cwd: '/tmp' })],
  ])('input that is %s is denied, with exit 0', async (_name, raw) => {
    sb = new Sandbox();
    const res = await callHook(sb, 'Bash', {}, { raw });
    expect(res.code).toBe(0);
    expect(res.denied).toMatch(/blocked|theguard blocks/);
  });

  it('an invalid configuration denies every call, even a plain one, until it is fixed', async () => {
    sb = new Sandbox({ config: { push: { maxAttempts: 'many' } } });
    const res = await callHook(sb, 'Bash', { command: 'ls' });
    expect(res.denied).toMatch(/cannot load its configuration.*push\.maxAttempts must be a number/s);
    sb.writeConfig({ push: { maxAttempts: 3 } });
    expect((await callHook(sb, 'Bash', { command: 'ls' })).denied).toBeNull();
  });

  it('a config change takes effect on the next call (the snapshot follows the file)', async () => {
    sb = new Sandbox({ config: {} });
    expect((await callHook(sb, 'Bash', { command: 'make deploy' })).denied).toBeNull();
    sb.writeConfig({ rules: [{ command: 'make deploy', action: 'block', reason: 'deploys go through CI' }] });
    expect((await callHook(sb, 'Bash', { command: 'make deploy' })).denied).toMatch(/deploys go through CI/);
  });

  it('a delivery that fails leaves the call denied, saying the code could not be sent', async () => {
    sb = new Sandbox();
    writeFileSync(join(sb.base, 'not-a-dir'), 'x');
    sb.writeConfig({ email: { outbox: join(sb.base, 'not-a-dir', 'outbox') } });
    const res = await callHook(sb, 'Bash', { command: 'terraform destroy' });
    expect(res.denied).toMatch(/could not send the approval code .*stays blocked/s);
  });

  it('a hook that runs out of time denies instead of hanging', async () => {
    sb = new Sandbox();
    const hanging = createServer(() => {
      // never answers
    });
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    try {
      const port = (hanging.address() as AddressInfo).port;
      sb.writeConfig({ email: { provider: 'resend', to: 'me@example.com', from: 'guard@example.com', endpoint: `http://127.0.0.1:${port}`, timeoutSeconds: 30 } });
      const res = await callHook(sb, 'Bash', { command: 'terraform destroy' }, { env: { RESEND_API_KEY: 're_test', THEGUARD_HOOK_DEADLINE_MS: '3000' } });
      expect(res.code).toBe(0);
      expect(res.denied).toMatch(/took longer than 3 s/);
    } finally {
      hanging.closeAllConnections();
      hanging.close();
    }
  });

  it('stdout holds only the answer; nothing else leaks onto it', async () => {
    sb = new Sandbox();
    const res = await callHook(sb, 'Bash', { command: 'kubectl delete namespace prod' });
    expect(res.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(res.stderr).toBe('');
  });
});

describe('an agent in a loop cannot flood the inbox', () => {
  it('new codes are capped per session, then per project; pointing to a pending code is free', async () => {
    sb = new Sandbox({ config: { rateLimit: { perSession: 2, perProject: 3 } } });
    for (const n of [1, 2]) expect((await callHook(sb, 'Bash', { command: `terraform destroy -target=r${n}` })).denied).toMatch(/A code was sent/);
    expect((await callHook(sb, 'Bash', { command: 'terraform destroy -target=r1' })).denied).toMatch(/already sent/);
    const capped = await callHook(sb, 'Bash', { command: 'terraform destroy -target=r3' });
    expect(capped.denied).toMatch(/no new code was sent: this agent session already had 2 codes in the last 10 minutes/);
    expect(capped.denied).toMatch(/the next code can be sent in \d+m \d+s, at \d\d:\d\d:\d\d\. Wait, or ask the human/);
    expect((await callHook(sb, 'Bash', { command: 'terraform destroy -target=r4' }, { session: 'session-2' })).denied).toMatch(/A code was sent/);
    const project = await callHook(sb, 'Bash', { command: 'terraform destroy -target=r5' }, { session: 'session-3' });
    expect(project.denied).toMatch(/this project already had 3 codes/);
    expect(sb.mails()).toHaveLength(3);
  });
});

describe('the hot path stays light', () => {
  async function loads(tool: string, input: Record<string, unknown>): Promise<{ crypto: boolean; files: string[] }> {
    const report = join(sb.base, `load-${Math.random().toString(36).slice(2)}.json`);
    const payload = JSON.stringify({ hook_event_name: 'PreToolUse', session_id: 's', cwd: sb.repo, tool_name: tool, tool_input: input });
    const res = await run(process.execPath, ['-r', join(ROOT, 'test/helpers/load-report.cjs'), HOOK], { cwd: sb.repo, env: { ...sb.env, LOAD_REPORT: report }, input: payload });
    expect(res.code).toBe(0);
    return JSON.parse(readFileSync(report, 'utf8')) as { crypto: boolean; files: string[] };
  }

  it('a plain call loads neither node:crypto, nor the shell analyser and engine, nor zod', async () => {
    sb = new Sandbox({ config: {} });
    await callHook(sb, 'Bash', { command: 'true' }); // the first call validates the config (zod) and leaves a snapshot
    for (const [tool, input] of [['Bash', { command: 'ls -la' }], ['Read', { file_path: join(sb.repo, 'README.md') }]] as const) {
      const r = await loads(tool, input);
      expect(r.crypto).toBe(false);
      expect(r.files.map((f) => f.split('/').pop())).toEqual(['load-report.cjs', 'pre-tool-use.cjs']);
    }
  });

  it('a gated call loads the full engine (and crypto for the verifier)', async () => {
    sb = new Sandbox({ config: {} });
    await callHook(sb, 'Bash', { command: 'true' });
    const r = await loads('Bash', { command: 'terraform destroy' });
    expect(r.crypto).toBe(true);
    expect(r.files.some((f) => f.endsWith('pre-tool-use-full.cjs'))).toBe(true);
  });
});

describe('the code reaches nothing the agent reads', () => {
  it('deny reasons, stdout, stderr, the state dir and the audit log never hold it', async () => {
    sb = new Sandbox();
    const outputs: string[] = [];
    for (const command of ['terraform destroy', 'terraform destroy', 'kubectl delete ns prod']) {
      const r = await callHook(sb, 'Bash', { command });
      outputs.push(r.stdout, r.stderr);
    }
    const codes = sb.mails().map((m) => codeIn(m) as string);
    expect(codes).toHaveLength(2);
    const files = readdirSync(sb.stateDir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => readFileSync(join(d.parentPath, d.name), 'latin1'));
    for (const code of codes) {
      const re = new RegExp(`(?<!\\d)${code}(?!\\d)`);
      for (const o of outputs) expect(o).not.toMatch(re);
      for (const f of files) expect(f).not.toMatch(re);
    }
    expect(existsSync(join(sb.repo, '.claude'))).toBe(false);
  });
});
