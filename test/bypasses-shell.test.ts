import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideBash, decisionContext } from '../src/core/decide/index.js';
import { callHook } from './helpers/hook.js';
import { CLI, Sandbox, codeIn, run } from './helpers/sandbox.js';

/**
 * Routes around the Claude Code hook found by a shell audit, replayed against the built
 * hook in a repository after `theguard init`, with the file outbox holding a real code.
 * Where a route is refused, the test also shows what the command would have done: the
 * same text run by a real shell prints the code, or git and bash really run the command
 * hidden in a setting or a variable. Command-level cases are in
 * test/corpus/bypasses-shell.json.
 */
let sb: Sandbox;
const scratch: string[] = [];
const dir = (prefix: string, base = tmpdir()) => {
  const d = mkdtempSync(join(base, prefix));
  scratch.push(d);
  return d;
};

beforeEach(async () => {
  sb = new Sandbox();
  expect((await sb.cli(['init', '--email', 'me@example.com', '--yes'])).code).toBe(0);
  // A pending code in the outbox: what the routes below would read.
  expect((await callHook(sb, 'Bash', { command: 'terraform destroy -auto-approve' })).denied).toMatch(/A code was sent/);
  expect(sb.mails()).toHaveLength(1);
});

afterEach(() => {
  sb.cleanup();
  for (const d of scratch.splice(0)) rmSync(d, { recursive: true, force: true });
});

const bash = (command: string) => run('bash', ['-c', command], { cwd: sb.repo, env: sb.env });
const denied = async (command: string) => (await callHook(sb, 'Bash', { command })).denied;

describe('a recursive listing substituted into another command reads what it lists', () => {
  it.each([
    `cat $(find "$XDG_STATE_HOME" -name '*.eml')`,
    'cat `find "$XDG_STATE_HOME" -name "*.eml"`',
    `x=$(find "$XDG_STATE_HOME" -name '*.eml'); cat $x`,
    `cd "$XDG_STATE_HOME" && find -name '*.eml' | xargs cat`,
  ])('%s', async (command) => {
    // Run by a shell, it prints the code.
    expect(codeIn((await bash(command)).stdout)).toBe(sb.lastCode());
    expect(await denied(command)).toMatch(/\(rule self\.outbox\)/);
  });

  it('the pepper too, and a search of the project stays allowed', async () => {
    expect(await denied(`cat $(find "$XDG_CONFIG_HOME" -name pepper)`)).toMatch(/\(rule self\.pepper\)/);
    expect(await denied(`find . -name '*.json' | wc -l`)).toBeNull();
    expect(await denied('cat $(git ls-files | head -1)')).toBeNull();
  });
});

describe("theguard's CLI reached through a symlink is still theguard", () => {
  it('node LINK verify, and LINK verify run directly, are refused', async () => {
    const link = join(dir('tg-link-'), 'tg.js');
    symlinkSync(CLI, link);
    expect(await denied(`node ${link} verify abcd1234`)).toMatch(/theguard verify.*\(rule self\.theguard-cli\)/);
    expect(await denied(`${link} verify abcd1234`)).toMatch(/\(rule self\.theguard-cli\)/);
    expect(await denied(`${link} status`)).toBeNull();
  });

  it('the fast path does not let a renamed CLI through unanalysed', () => {
    const link = join(dir('tg-link-'), 'tg');
    symlinkSync(CLI, link);
    const cwd = dir('proj-');
    // A home that shares no path component with the link, so only the subcommand can trigger analysis.
    const ctx = decisionContext({ cwd, projectRoot: cwd, config: { stateDir: join(cwd, '.theguard'), rules: [] }, env: { HOME: '/home/nobody-here' }, cliPaths: [CLI] });
    expect(decideBash(`${link} verify abcd1234`, ctx)).toMatchObject({ action: 'block', ruleIds: ['self.theguard-cli'] });
    expect(decideBash(`${link} uninstall`, ctx)).toMatchObject({ action: 'block', ruleIds: ['self.theguard-cli'] });
  });
});

describe('a glob through a symlinked directory reaches what the link points at', () => {
  it('Bash and the Glob tool', async () => {
    const link = join(dir('anc-'), 'l');
    symlinkSync(sb.base, link);
    const command = `cat ${link}/state/theguard/outbox/*`;
    expect(codeIn((await bash(command)).stdout)).toBe(sb.lastCode());
    expect(await denied(command)).toMatch(/\(rule self\.outbox\)/);
    expect(await denied(`cat ${link}/st*/theguard/outbox/*.eml`)).toMatch(/\(rule self\.outbox\)/);
    expect(await denied(`cat ${link}/config/*/pepper`)).toMatch(/\(rule self\.pepper\)/);
    expect((await callHook(sb, 'Glob', { pattern: `${link}/state/theguard/outbox/*` })).denied).toMatch(/\(rule self\.outbox\)/);
    expect(await denied(`ls ${link}/repo/*.json`)).toBeNull();
  });
});

describe('xargs: arguments from its input', () => {
  it('a list of paths in a file is read as the arguments it is', async () => {
    writeFileSync(join(sb.repo, 'paths.txt'), `${sb.pepperPath}\n`);
    expect(await denied('xargs cat < paths.txt')).toMatch(/\(rule self\.pepper\)/);
    expect(await denied('xargs -a paths.txt cat')).toMatch(/\(rule self\.pepper\)/);
    expect(await denied(`echo ${sb.outbox} | xargs -I{} ls {}`)).toMatch(/\(rule self\.outbox\)/);
  });

  it('a subcommand from stdin is a subcommand only known at run time', async () => {
    expect(await denied('echo destroy | xargs terraform')).toMatch(/needs human approval.*\(rule terraform\.destroy\)/);
    expect(await denied('xargs -I{} terraform {}')).toMatch(/\(rule terraform\.destroy\)/);
    expect(await denied('find . -name "*.ts" | xargs wc -l')).toBeNull();
  });
});

describe('git settings and variables that hold a command', () => {
  it('git really runs core.fsmonitor; the hook gates what it would run', async () => {
    const marker = join(sb.base, 'fsmonitor-ran');
    execFileSync('git', ['-c', `core.fsmonitor=touch ${marker}`, 'status'], { cwd: sb.repo, env: sb.env, stdio: 'ignore' });
    expect(existsSync(marker)).toBe(true);
    expect(await denied(`git -c core.fsmonitor='terraform destroy' status`)).toMatch(/\(rule terraform\.destroy\)/);
    expect(await denied(`GIT_SSH_COMMAND='terraform destroy' git fetch`)).toMatch(/\(rule terraform\.destroy\)/);
    expect(await denied(`git config core.pager 'kubectl delete ns prod'`)).toMatch(/\(rule kubectl\.delete\)/);
  });

  it('ordinary values stay allowed', async () => {
    expect(await denied(`GIT_SSH_COMMAND='ssh -i ~/.ssh/k' git fetch`)).toBeNull();
    expect(await denied('git -c core.editor=vim commit --allow-empty -m x')).toBeNull();
    expect(await denied('echo destroy')).toBeNull();
  });
});

describe('files a shell reads before its command', () => {
  it('bash really sources BASH_ENV; the hook reads it like `source`', async () => {
    const marker = join(sb.base, 'bash-env-ran');
    writeFileSync(join(sb.repo, 'touch.sh'), `touch ${marker}\n`);
    await bash('BASH_ENV=touch.sh bash -c true; :');
    expect(existsSync(marker)).toBe(true);
    writeFileSync(join(sb.repo, 'evil.sh'), 'terraform destroy -auto-approve\n');
    expect(await denied('BASH_ENV=evil.sh bash -c ls')).toMatch(/\(rule terraform\.destroy\)/);
    expect(await denied('bash --rcfile evil.sh -i -c true')).toMatch(/\(rule terraform\.destroy\)/);
    expect(await denied('ENV=evil.sh sh -i')).toMatch(/\(rule terraform\.destroy\)/);
  });
});

describe('TF_CLI_ARGS', () => {
  it('is folded into terraform arguments', async () => {
    expect(await denied('TF_CLI_ARGS_apply=-destroy terraform apply')).toMatch(/\(rule terraform\.apply-destroy\)/);
    expect(await denied('TF_CLI_ARGS_plan=-lock=false terraform plan')).toBeNull();
  });
});
