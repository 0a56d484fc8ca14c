import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HOOK } from './helpers/hook.js';
import { Sandbox } from './helpers/sandbox.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

const settingsFile = (name = 'settings.json') => join(sb.repo, '.claude', name);
const settings = (name?: string) => JSON.parse(readFileSync(settingsFile(name), 'utf8')) as Record<string, any>;
const init = (...extra: string[]) => sb.cli(['init', '--email', 'me@example.com', '--yes', ...extra]);

/** Settings a project might already have: another tool's hooks, permissions, other keys. */
const EXISTING = {
  model: 'opus',
  permissions: { allow: ['Bash(npm test:*)'], deny: ['Read(./.env)'] },
  hooks: {
    PreToolUse: [{ matcher: 'Write', hooks: [{ type: 'command', command: 'prettier --check', timeout: 5 }] }],
    PostToolUse: [{ matcher: 'Edit', hooks: [{ type: 'command', command: 'eslint --fix' }] }],
  },
};

describe('theguard init registers the Claude Code hook', () => {
  it('in .claude/settings.json: every tool ("*"); node and the hook by absolute path; onFailure block; deny rules for its files', async () => {
    sb = new Sandbox();
    const res = await init();
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Claude Code hook: registered in \.claude\/settings\.json/);
    const s = settings();
    expect(s.hooks.PreToolUse).toEqual([
      {
        matcher: '*',
        hooks: [{ type: 'command', command: `'${process.execPath}' '${HOOK}'`, timeout: 60, onFailure: 'block' }],
      },
    ]);
    expect(s.permissions.deny).toEqual(expect.arrayContaining(['Read(/.theguard/**)', 'Edit(/.theguard/**)', 'Edit(/.theguard.json)']));
    expect(s.permissions.deny.some((r: string) => r.startsWith('Read(') && r.includes('config/theguard'))).toBe(true);
  });

  it('merges with existing settings and hooks without changing them', async () => {
    sb = new Sandbox();
    mkdirSync(join(sb.repo, '.claude'));
    writeFileSync(settingsFile(), JSON.stringify(EXISTING, null, 2));
    expect((await init()).code).toBe(0);
    const s = settings();
    expect(s.model).toBe('opus');
    expect(s.permissions.allow).toEqual(['Bash(npm test:*)']);
    expect(s.permissions.deny[0]).toBe('Read(./.env)');
    expect(s.hooks.PostToolUse).toEqual(EXISTING.hooks.PostToolUse);
    expect(s.hooks.PreToolUse[0]).toEqual(EXISTING.hooks.PreToolUse[0]);
    expect(s.hooks.PreToolUse).toHaveLength(2);
  });

  it('a second init changes nothing', async () => {
    sb = new Sandbox();
    await init();
    const before = readFileSync(settingsFile());
    const again = await init();
    expect(again.stdout).toMatch(/Nothing to change/);
    expect(readFileSync(settingsFile()).equals(before)).toBe(true);
  });

  it('--claude-settings local writes the uncommitted settings.local.json instead', async () => {
    sb = new Sandbox();
    await init('--claude-settings', 'local');
    expect(existsSync(settingsFile())).toBe(false);
    expect(settings('settings.local.json').hooks.PreToolUse).toHaveLength(1);
    expect((await init('--claude-settings', 'everywhere')).code).toBe(2);
  });

  it('--no-claude-code leaves Claude Code alone', async () => {
    sb = new Sandbox();
    await init('--no-claude-code');
    expect(existsSync(join(sb.repo, '.claude'))).toBe(false);
  });

  it('a settings file that is not valid JSON is refused before anything is written', async () => {
    sb = new Sandbox();
    mkdirSync(join(sb.repo, '.claude'));
    writeFileSync(settingsFile(), '{ "model": "opus", }');
    const res = await init();
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/\.claude\/settings\.json is not valid JSON/);
    expect(res.stderr).toMatch(/Fix: fix the file/);
    expect(readFileSync(settingsFile(), 'utf8')).toBe('{ "model": "opus", }');
    expect(existsSync(join(sb.repo, '.theguard.json'))).toBe(false);
    expect(existsSync(join(sb.repo, '.git/hooks/pre-push'))).toBe(false);
  });
});

describe('theguard uninstall removes exactly what init added', () => {
  it('restores existing settings byte for byte', async () => {
    sb = new Sandbox();
    mkdirSync(join(sb.repo, '.claude'));
    const original = `${JSON.stringify(EXISTING, null, 4)}\n`;
    writeFileSync(settingsFile(), original);
    await init();
    expect((await sb.cli(['uninstall'])).code).toBe(0);
    expect(readFileSync(settingsFile(), 'utf8')).toBe(original);
  });

  it('removes a settings file (and .claude) it created', async () => {
    sb = new Sandbox();
    await init();
    await sb.cli(['uninstall']);
    expect(existsSync(join(sb.repo, '.claude'))).toBe(false);
  });

  it('keeps what the human added after init, and takes out only its own entries', async () => {
    sb = new Sandbox();
    mkdirSync(join(sb.repo, '.claude'));
    writeFileSync(settingsFile(), JSON.stringify(EXISTING, null, 2));
    await init();
    const s = settings();
    s.permissions.allow.push('Bash(make:*)');
    writeFileSync(settingsFile(), JSON.stringify(s, null, 2));
    const res = await sb.cli(['uninstall']);
    expect(res.stdout).toMatch(/settings\.json: removed theguard's part; kept the edits made since init/);
    const after = settings();
    expect(after.permissions.allow).toEqual(['Bash(npm test:*)', 'Bash(make:*)']);
    expect(after.permissions.deny).toEqual(['Read(./.env)']);
    expect(after.hooks).toEqual(EXISTING.hooks);
  });

  it('a deny rule the human added after init survives uninstall, even one that names theguard', async () => {
    sb = new Sandbox();
    await init();
    const s = settings();
    const added = s.permissions.deny.length;
    s.permissions.deny.push('Read(/docs/theguard-notes/**)', 'Edit(~/.config/theguard-extra/**)');
    writeFileSync(settingsFile(), JSON.stringify(s, null, 2));
    expect((await sb.cli(['uninstall'])).code).toBe(0);
    expect(added).toBeGreaterThan(0);
    expect(settings().permissions.deny).toEqual(['Read(/docs/theguard-notes/**)', 'Edit(~/.config/theguard-extra/**)']);
    expect(settings().hooks).toBeUndefined();
  });
});

describe('theguard doctor checks the Claude Code hook', () => {
  it('runs it: silent on a plain call, denying access to its files', async () => {
    sb = new Sandbox();
    await init();
    const res = await sb.cli(['doctor']);
    expect(res.stdout).toMatch(/\[ok {2}\] Claude Code hook: registered in .*settings\.json; it runs, stays silent on a plain call and denies access to theguard's files/);
  });

  it('fails when the registered script is gone (Claude Code would skip the hook)', async () => {
    sb = new Sandbox();
    await init();
    const s = settings();
    s.hooks.PreToolUse[0].hooks[0].command = `'${process.execPath}' '${join(sb.base, 'moved', 'dist', 'hooks', 'pre-tool-use.cjs')}'`;
    writeFileSync(settingsFile(), JSON.stringify(s));
    const res = await sb.cli(['doctor']);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/\[FAIL\] Claude Code hook: .*pre-tool-use\.cjs is missing; Claude Code would skip the hook/);
  });

  it('warns without onFailure block, and fails when disableAllHooks is set', async () => {
    sb = new Sandbox();
    await init();
    const s = settings();
    delete s.hooks.PreToolUse[0].hooks[0].onFailure;
    s.disableAllHooks = true;
    writeFileSync(settingsFile(), JSON.stringify(s));
    const res = await sb.cli(['doctor']);
    expect(res.stdout).toMatch(/\[WARN\] Claude Code hook .*has no "onFailure": "block"/);
    expect(res.stdout).toMatch(/\[FAIL\] Claude Code: .*sets "disableAllHooks": true/);
    expect(res.code).toBe(1);
  });

  it('warns when the hook runs only for some tools (an entry from an older init), and a new init widens it to every tool', async () => {
    sb = new Sandbox();
    await init();
    const s = settings();
    s.hooks.PreToolUse[0].matcher = 'Bash|Read|Write|Edit|MultiEdit|NotebookEdit|Glob|Grep|mcp__.*';
    writeFileSync(settingsFile(), JSON.stringify(s));
    expect((await sb.cli(['doctor'])).stdout).toMatch(/\[WARN\] Claude Code hook in .*settings\.json runs only for tools matching "Bash\|Read.*": rules on other tools are not enforced/);
    expect((await init()).code).toBe(0);
    expect(settings().hooks.PreToolUse).toHaveLength(1);
    expect(settings().hooks.PreToolUse[0].matcher).toBe('*');
    expect((await sb.cli(['doctor'])).stdout).not.toMatch(/runs only for tools matching/);
  });

  it('warns when the hook is not registered', async () => {
    sb = new Sandbox();
    await init('--no-claude-code');
    expect((await sb.cli(['doctor'])).stdout).toMatch(/\[WARN\] Claude Code hook: not registered/);
  });
});
