import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type RunResult, run } from './sandbox.js';

/**
 * The real Claude Code CLI, installed from the npm registry into a cache directory on
 * first use (it ships a native binary through a platform package). Pinned: the tests
 * rely on `onFailure: "block"`, which Claude Code has had since 2.1.295.
 */
export const CLAUDE_CODE_VERSION = '2.1.330';

export function claudeBinary(): string {
  const cacheRoot = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const prefix = join(cacheRoot, 'theguard-tests', `claude-code-${CLAUDE_CODE_VERSION}`);
  const bin = join(prefix, 'node_modules', '.bin', 'claude');
  if (!existsSync(bin)) {
    mkdirSync(prefix, { recursive: true });
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, `@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 300_000,
    });
  }
  return bin;
}

/** Run one non-interactive Claude Code session against a fake API, in `cwd`, with a private HOME. */
export function runClaude(opts: { cwd: string; home: string; apiUrl: string; env?: NodeJS.ProcessEnv; prompt?: string; allowedTools?: string; extraArgs?: string[] }): Promise<RunResult> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: opts.home,
    ANTHROPIC_BASE_URL: opts.apiUrl,
    ANTHROPIC_API_KEY: 'sk-ant-test-not-a-real-key',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    ...opts.env,
  };
  return run(
    claudeBinary(),
    ['-p', opts.prompt ?? 'Do the task.', '--output-format', 'json', '--allowedTools', opts.allowedTools ?? 'Bash,Read,Write,Edit', '--max-turns', '10', ...(opts.extraArgs ?? [])],
    { cwd: opts.cwd, env, timeoutMs: 120_000 },
  );
}
