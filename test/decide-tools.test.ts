import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Decision, decideTool } from '../src/core/decide/index.js';
import { DecideWorld } from './helpers/decide.js';

/**
 * Self-protection for every tool Claude Code has, with the payload shapes it sends
 * (tool_input as the PreToolUse hook receives it).
 */
const world = new DecideWorld({
  'proj/package.json': JSON.stringify({ name: 'app', version: '1.0.0', theguard: { mcpDefault: 'verify' } }, null, 2),
  'proj/.claude/settings.json': JSON.stringify({ permissions: { allow: ['Bash(npm test)'] }, hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [] }] } }, null, 2),
  'proj/lefthook.yml': 'pre-commit:\n  commands:\n    lint:\n      run: npm run lint\npre-push:\n  commands:\n    guard:\n      run: theguard-hook\n',
  'proj/.git/config': '[core]\n\tbare = false\n',
  'proj/README.md': '# app\n',
  'proj/.theguard/audit.jsonl': '',
  'home/.config/theguard/pepper': 'x',
  'home/.local/state/theguard/outbox/1.eml': 'code',
});
afterAll(() => world.cleanup());
const P = (rel: string) => join(world.proj, rel);
const H = (rel: string) => join(world.home, rel);
const ctx = world.ctx();

function decide(tool: string, input: unknown): Decision {
  return decideTool(tool, input, ctx);
}
const rule = (d: Decision) => (d.action === 'allow' ? 'allow' : d.ruleIds.join(','));

describe('Read', () => {
  it.each([
    [P('.theguard/audit.jsonl'), 'self.state-dir'],
    [P('.theguard'), 'self.state-dir'],
    [H('.config/theguard/pepper'), 'self.pepper'],
    [H('.local/state/theguard/outbox/1.eml'), 'self.outbox'],
    ['~/.config/theguard/pepper', 'self.pepper'],
    ['.theguard/audit.jsonl', 'self.state-dir'],
    [P('src/../.theguard/audit.jsonl'), 'self.state-dir'],
    [P('README.md'), 'allow'],
    [P('.theguard.json'), 'allow'],
    [P('.claude/settings.json'), 'allow'],
    [P('.git/hooks/pre-push'), 'allow'],
  ])('%s', (file_path, expected) => {
    expect(rule(decide('Read', { file_path }))).toBe(expected);
  });

  it('follows symlinks to what they point at', () => {
    symlinkSync(H('.config/theguard'), P('innocent'));
    expect(rule(decide('Read', { file_path: P('innocent/pepper') }))).toBe('self.pepper');
    expect(rule(decide('Read', { file_path: P('innocent/pepper'), offset: 1, limit: 10 }))).toBe('self.pepper');
  });

  it('NotebookRead too', () => {
    expect(rule(decide('NotebookRead', { notebook_path: P('.theguard/x.ipynb') }))).toBe('self.state-dir');
  });

  it('explains the refusal for the agent to relay', () => {
    const d = decide('Read', { file_path: H('.config/theguard/pepper') });
    expect(d.action === 'block' && d.message).toBe(
      `theguard blocks this call to Read: it would read theguard's pepper and user settings (${H('.config/theguard/pepper')}) (rule self.pepper). theguard protects its own files, hooks and approval commands; no code unlocks this. If it is really needed, ask the human to do it in their own terminal.`,
    );
  });
});

describe('Write', () => {
  it.each([
    [P('.theguard/grants/x.json'), '{}', 'self.state-dir'],
    [H('.config/theguard/pepper'), 'x', 'self.pepper'],
    [P('.theguard.json'), '{}', 'self.config'],
    [P('sub/.theguardrc.yml'), 'x: 1', 'self.config'],
    [P('.config/theguardrc'), '{}', 'self.config'],
    [P('.git/hooks/pre-push'), 'exit 0', 'self.pre-push-hook'],
    [P('.husky/pre-push'), '', 'self.pre-push-hook'],
    [P('src/app.ts'), 'export {}', 'allow'],
    [P('.husky/pre-commit'), 'npx lint-staged', 'allow'],
  ])('%s', (file_path, content, expected) => {
    expect(rule(decide('Write', { file_path, content }))).toBe(expected);
  });

  it('package.json: only a change to the "theguard" key is refused', () => {
    const pkg = (extra: object) => JSON.stringify({ name: 'app', version: '1.0.1', theguard: { mcpDefault: 'verify' }, ...extra });
    expect(rule(decide('Write', { file_path: P('package.json'), content: pkg({ scripts: { test: 'vitest' } }) }))).toBe('allow');
    expect(rule(decide('Write', { file_path: P('package.json'), content: pkg({ theguard: { mcpDefault: 'allow' } }) }))).toBe('self.config');
    expect(rule(decide('Write', { file_path: P('package.json'), content: JSON.stringify({ name: 'app' }) }))).toBe('self.config');
    expect(rule(decide('Write', { file_path: P('packages/new/package.json'), content: JSON.stringify({ name: 'x' }) }))).toBe('allow');
    expect(rule(decide('Write', { file_path: P('packages/new/package.json'), content: JSON.stringify({ name: 'x', theguard: {} }) }))).toBe('self.config');
  });

  it('.claude/settings*.json: only hooks and disableAllHooks are refused', () => {
    const settings = (extra: object) => JSON.stringify({ permissions: { allow: ['Bash(npm test)', 'Bash(ls)'] }, hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [] }] }, ...extra });
    expect(rule(decide('Write', { file_path: P('.claude/settings.json'), content: settings({}) }))).toBe('allow');
    expect(rule(decide('Write', { file_path: P('.claude/settings.json'), content: settings({ hooks: {} }) }))).toBe('self.claude-hooks');
    expect(rule(decide('Write', { file_path: P('.claude/settings.json'), content: settings({ disableAllHooks: true }) }))).toBe('self.claude-hooks');
    expect(rule(decide('Write', { file_path: P('.claude/settings.local.json'), content: '{"disableAllHooks": true}' }))).toBe('self.claude-hooks');
    expect(rule(decide('Write', { file_path: H('.claude/settings.json'), content: '{"hooks": {}}' }))).toBe('self.claude-hooks');
    expect(rule(decide('Write', { file_path: P('.claude/settings.json'), content: 'not json, mentions hooks' }))).toBe('self.claude-hooks');
  });
});

describe('Edit and MultiEdit', () => {
  it('simulate the edit and judge the change', () => {
    const edit = (file_path: string, old_string: string, new_string: string, replace_all = false) => rule(decide('Edit', { file_path, old_string, new_string, replace_all }));
    expect(edit(P('package.json'), '"1.0.0"', '"1.0.1"')).toBe('allow');
    expect(edit(P('package.json'), '"verify"', '"allow"')).toBe('self.config');
    expect(edit(P('.claude/settings.json'), '"Bash(npm test)"', '"Bash(npm test)", "Bash(ls)"')).toBe('allow');
    expect(edit(P('.claude/settings.json'), '"matcher": "Bash"', '"matcher": "None"')).toBe('self.claude-hooks');
    expect(edit(P('lefthook.yml'), 'npm run lint', 'npm run lint:fix')).toBe('allow');
    expect(edit(P('lefthook.yml'), 'run: theguard-hook', 'run: "true"')).toBe('self.pre-push-hook');
    expect(edit(P('.git/config'), 'bare = false', 'bare = false\n\thooksPath = /dev/null')).toBe('self.hooks-path');
    expect(edit(P('.git/config'), 'bare = false', 'bare = false\n[user]\n\tname = x')).toBe('allow');
    expect(edit(P('.theguard.json'), 'a', 'b')).toBe('self.config');
    expect(edit(P('src/app.ts'), 'a', 'b')).toBe('allow');
  });

  it('MultiEdit applies its edits in order', () => {
    const edits = [
      { old_string: '"1.0.0"', new_string: '"2.0.0"' },
      { old_string: '"verify"', new_string: '"block"' },
    ];
    expect(rule(decide('MultiEdit', { file_path: P('package.json'), edits }))).toBe('self.config');
    expect(rule(decide('MultiEdit', { file_path: P('package.json'), edits: edits.slice(0, 1) }))).toBe('allow');
    expect(rule(decide('MultiEdit', { file_path: P('.theguard/x'), edits }))).toBe('self.state-dir');
  });
});

describe('NotebookEdit', () => {
  it('refuses notebooks in guarded dirs only', () => {
    expect(rule(decide('NotebookEdit', { notebook_path: P('.theguard/n.ipynb'), new_source: 'x', cell_id: 'a', edit_mode: 'replace' }))).toBe('self.state-dir');
    expect(rule(decide('NotebookEdit', { notebook_path: P('n.ipynb'), new_source: 'x', cell_type: 'code' }))).toBe('allow');
  });
});

describe('Glob, Grep and LS', () => {
  it.each([
    ['Glob', { pattern: '**/*.ts' }, 'allow'],
    ['Glob', { pattern: '**/*', path: world.proj }, 'allow'],
    ['Glob', { pattern: '.theguard/**' }, 'self.state-dir'],
    ['Glob', { pattern: '**/.theguard/*' }, 'self.state-dir'],
    ['Glob', { pattern: '.the*/**' }, 'self.state-dir'],
    ['Glob', { pattern: '*', path: P('.theguard') }, 'self.state-dir'],
    ['Glob', { pattern: '*', path: H('.local/state/theguard/outbox') }, 'self.outbox'],
    ['Glob', { pattern: `${H('.config')}/*/pepper` }, 'self.pepper'],
    ['Grep', { pattern: 'code', path: world.proj }, 'allow'],
    ['Grep', { pattern: '\\.theguard', path: world.proj, glob: '*.md', output_mode: 'content', '-n': true }, 'allow'],
    ['Grep', { pattern: 'code', path: P('.theguard') }, 'self.state-dir'],
    ['Grep', { pattern: 'code', path: H('.local/state') }, 'self.outbox'],
    ['Grep', { pattern: 'code', path: world.home }, 'self.pepper'],
    ['Grep', { pattern: 'x', glob: '.theguard/**' }, 'self.state-dir'],
    ['LS', { path: P('.theguard') }, 'self.state-dir'],
    ['LS', { path: world.proj }, 'allow'],
  ])('%s %j', (tool, input, expected) => {
    expect(rule(decide(tool, input))).toBe(expected);
  });
});

describe('Bash', () => {
  it('goes through the shell analyser; description and timeout do not matter', () => {
    expect(rule(decide('Bash', { command: 'cat .theguard/audit.jsonl', description: 'Show audit log', timeout: 120000 }))).toBe('self.state-dir');
    expect(rule(decide('Bash', { command: 'ls -la', description: 'rm -rf / and theguard verify' }))).toBe('allow');
    expect(rule(decide('Bash', { description: 'no command' }))).toBe('input.invalid');
  });
});

describe('MCP and other tools with arbitrary JSON', () => {
  it('checks fields that look like paths, at any depth', () => {
    expect(rule(decide('mcp__fs__read_file', { path: H('.config/theguard/pepper') }))).toBe('self.pepper');
    expect(rule(decide('mcp__fs__write_file', { path: P('.theguard.json'), content: '{}' }))).toBe('self.config');
    expect(rule(decide('mcp__fs__read_file', { path: P('.theguard.json') }))).toBe('mcp.default');
    expect(rule(decide('mcp__fs__move', { options: { source: P('x'), destination: P('.git/hooks/pre-push') } }))).toBe('self.pre-push-hook');
    expect(rule(decide('mcp__fs__read_multiple', { paths: [P('README.md'), P('.theguard/audit.jsonl')] }))).toBe('self.state-dir');
    expect(rule(decide('mcp__browser__open', { url: `file://${H('.local/state/theguard/outbox/1.eml')}` }))).toBe('self.outbox');
    expect(rule(decide('WebFetch', { url: 'https://example.com/.theguard', prompt: 'x' }))).toBe('allow');
  });

  it('does not mistake other text for paths', () => {
    const c = world.ctx({ rules: [{ tool: 'mcp__*', action: 'allow' }] });
    expect(decideTool('mcp__notes__create', { title: '.theguard notes', body: 'cat ~/.config/theguard/pepper' }, c).action).toBe('allow');
  });
});

describe('paths made of directories', () => {
  it('a state dir outside the project (absolute stateDir) is guarded too', () => {
    mkdirSync(H('state'), { recursive: true });
    const c = { ...ctx, stateDir: H('state') };
    expect(decideTool('Read', { file_path: H('state/x') }, c).ruleIds).toEqual(['self.state-dir']);
  });
});
