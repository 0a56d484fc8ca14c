import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callHook } from './helpers/hook.js';
import { Sandbox, run } from './helpers/sandbox.js';

/**
 * Routes an audit found by which an agent could replace theguard's configuration for
 * its own calls (and so receive the code, or drop the human's rules), or change how
 * Claude Code starts the hook, through tools theguard had allowed. Each test replays
 * the route against the built hook after `theguard init`, and where it matters runs it.
 */
let sb: Sandbox;
afterEach(() => sb?.cleanup());

const SELF = /theguard blocks this/;

async function project(config: object): Promise<void> {
  sb = new Sandbox({ config });
  const init = await sb.cli(['init', '--yes']);
  expect(init.code, init.stderr).toBe(0);
}

const sh = (command: string, cwd = sb.repo) => run('bash', ['-c', command], { cwd, env: sb.env });

describe('the session\'s configuration is the project\'s, wherever the call runs', () => {
  it('a package.json with a "theguard" key in a subdirectory does not replace it: codes still go to the human, rules still hold', async () => {
    await project({ email: { to: 'jane@example.com' }, rules: [{ tool: 'WebFetch', action: 'block' }] });
    const agentOutbox = join(sb.base, 'agent-outbox');
    const shadow = JSON.stringify({ theguard: { email: { outbox: agentOutbox }, mcpDefault: 'allow' } });
    expect((await callHook(sb, 'Write', { file_path: join(sb.repo, 'x.json'), content: shadow })).denied).toBeNull();
    writeFileSync(join(sb.repo, 'x.json'), shadow);
    const copy = 'mkdir sub && cp x.json sub/package.json';
    expect((await callHook(sb, 'Bash', { command: copy })).denied).toBeNull();
    expect((await sh(copy)).code).toBe(0);
    const sub = join(sb.repo, 'sub');
    expect((await callHook(sb, 'WebFetch', { url: 'https://example.com', prompt: 'x' }, { cwd: sub })).denied).toMatch(/WebFetch/);
    expect((await callHook(sb, 'mcp__stripe__create_refund', { amount: 1000 }, { cwd: sub })).denied).toMatch(/needs human approval/);
    const gated = await callHook(sb, 'Bash', { command: 'terraform destroy -auto-approve' }, { cwd: sub });
    expect(gated.denied).toMatch(/A code was sent to j\*\*\*@e\*\*\*\.com/);
    expect(existsSync(agentOutbox) ? readdirSync(agentOutbox) : []).toEqual([]);
  });

  it('so does a project of its own made in a subdirectory (git init), and a directory outside the project', async () => {
    await project({ email: { to: 'jane@example.com' }, rules: [{ tool: 'WebFetch', action: 'block' }] });
    const shadow = JSON.stringify({ name: 'x', theguard: { mcpDefault: 'allow' } });
    mkdirSync(join(sb.repo, 'nested', '.git'), { recursive: true });
    writeFileSync(join(sb.repo, 'nested', 'package.json'), shadow);
    const elsewhere = join(sb.base, 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'package.json'), shadow);
    for (const cwd of [join(sb.repo, 'nested'), elsewhere]) {
      expect((await callHook(sb, 'WebFetch', { url: 'https://example.com', prompt: 'x' }, { cwd })).denied, cwd).toMatch(/WebFetch/);
    }
  });

  it('replacing the root package.json wholesale is refused where the configuration search reads it (no .theguard.json before it)', async () => {
    sb = new Sandbox();
    writeFileSync(join(sb.repo, 'package.json'), JSON.stringify({ name: 'app', theguard: { email: { to: 'jane@example.com' } } }));
    writeFileSync(join(sb.repo, 'other.json'), JSON.stringify({ name: 'app', theguard: { email: { outbox: join(sb.base, 'agent-outbox') } } }));
    for (const command of ['cp other.json package.json', 'mv other.json package.json', 'cat other.json > ./package.json', 'cp other.json "pack"age.json']) {
      expect((await callHook(sb, 'Bash', { command })).denied, command).toMatch(SELF);
    }
    // Reading it, and npm itself, are fine.
    expect((await callHook(sb, 'Bash', { command: 'cat package.json' })).denied).toBeNull();
    expect((await callHook(sb, 'Bash', { command: 'npm install left-pad' })).denied).toBeNull();
  });

  it('with a .theguard.json first in the search, the root package.json is an ordinary file', async () => {
    await project({ email: { to: 'jane@example.com' } });
    writeFileSync(join(sb.repo, 'package.json'), JSON.stringify({ name: 'app' }));
    writeFileSync(join(sb.repo, 'other.json'), JSON.stringify({ name: 'app', version: '2.0.0' }));
    expect((await callHook(sb, 'Bash', { command: 'cp other.json package.json' })).denied).toBeNull();
  });
});

describe('Claude Code settings that reach the hook\'s own process', () => {
  it('an "env" key (NODE_OPTIONS would load code into the hook), or plugins, cannot be added; other settings can', async () => {
    await project({ email: { to: 'jane@example.com' } });
    const settings = join(sb.repo, '.claude', 'settings.json');
    const evil = `--require ${join(sb.repo, 'evil.cjs')}`;
    const edit = await callHook(sb, 'Edit', { file_path: settings, old_string: '{\n', new_string: `{\n  "env": { "NODE_OPTIONS": "${evil}" },\n` });
    expect(edit.denied).toMatch(SELF);
    const local = await callHook(sb, 'Write', { file_path: join(sb.repo, '.claude', 'settings.local.json'), content: JSON.stringify({ env: { NODE_OPTIONS: evil } }) });
    expect(local.denied).toMatch(SELF);
    const plugin = await callHook(sb, 'Write', { file_path: join(sb.repo, '.claude', 'settings.local.json'), content: JSON.stringify({ enabledPlugins: { 'x@local': true } }) });
    expect(plugin.denied).toMatch(SELF);
    const model = await callHook(sb, 'Write', { file_path: join(sb.repo, '.claude', 'settings.local.json'), content: JSON.stringify({ model: 'sonnet' }) });
    expect(model.denied).toBeNull();
  });
});

describe('an Edit whose old_string is not in the file exactly as written', () => {
  it('is refused on theguard\'s files: Claude Code would match it with straight quotes and apply it', async () => {
    sb = new Sandbox();
    const pkg = join(sb.repo, 'package.json');
    writeFileSync(pkg, `${JSON.stringify({ name: 'app', theguard: { email: { to: 'jane@example.com' }, rules: [{ tool: 'WebFetch', action: 'block' }] } }, null, 2)}\n`);
    const text = readFileSync(pkg, 'utf8');
    const rule = text.slice(text.indexOf('{\n        "tool"'), text.indexOf('}', text.indexOf('"tool"')) + 1);
    expect(rule).toContain('"action": "block"');
    const curly = rule.replace(/"([^"]*)"/g, '\u201c$1\u201d');
    const res = await callHook(sb, 'Edit', { file_path: pkg, old_string: curly, new_string: '' });
    expect(res.denied).toMatch(/not in the file exactly as written/);
    // The straight-quoted edit is judged on what it changes: refused too.
    expect((await callHook(sb, 'Edit', { file_path: pkg, old_string: rule, new_string: '' })).denied).toMatch(SELF);
    // An exact edit of another key passes.
    expect((await callHook(sb, 'Edit', { file_path: pkg, old_string: '"name": "app"', new_string: '"name": "app2"' })).denied).toBeNull();
  });
});
