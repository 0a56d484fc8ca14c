import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type RunResult, Sandbox, run } from './sandbox.js';

/**
 * A Sandbox with real git on both ends: a work repository (`repo`, branch main, one
 * commit) and a bare remote on disk (`origin`). Pushes are real `git push` processes,
 * so every hook runs exactly as it would for a person.
 */
export class GitWorld extends Sandbox {
  readonly remote: string;

  constructor(opts: { objectFormat?: 'sha1' | 'sha256'; config?: object } = {}) {
    super({ git: false });
    Object.assign(this.env, {
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    });
    const format = [`--object-format=${opts.objectFormat ?? 'sha1'}`];
    this.remote = join(this.base, 'origin.git');
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', ...format, this.remote], { env: this.env });
    execFileSync('git', ['init', '-q', '-b', 'main', ...format, this.repo], { env: this.env });
    this.git('remote', 'add', 'origin', this.remote);
    this.commit('README.md', '# project\n', 'first commit');
    if (opts.config) this.writeConfig(opts.config);
  }

  /** Run git in the repo (or `cwd`); throws when git fails. */
  git(...args: string[]): string {
    return this.gitIn(this.repo, ...args);
  }

  gitIn(cwd: string, ...args: string[]): string {
    return execFileSync('git', args, { cwd, env: this.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  }

  /** Write a file and commit it; returns the new commit id. */
  commit(file: string, content: string, message: string, cwd = this.repo): string {
    mkdirSync(dirname(join(cwd, file)), { recursive: true });
    writeFileSync(join(cwd, file), content);
    this.gitIn(cwd, 'add', file);
    this.gitIn(cwd, 'commit', '-q', '-m', message);
    return this.gitIn(cwd, 'rev-parse', 'HEAD');
  }

  /** A real `git push`, as a separate process; never throws. */
  push(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
    return run('git', ['push', ...args], { cwd: opts.cwd ?? this.repo, env: { ...this.env, ...opts.env } });
  }

  /** The remote's ref, or null when it does not exist there. */
  remoteRef(ref: string): string | null {
    try {
      return execFileSync('git', ['--git-dir', this.remote, 'rev-parse', '--verify', '--quiet', ref], { env: this.env, encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  }

  /** `theguard init` without questions. */
  async init(cwd = this.repo): Promise<RunResult> {
    const res = await this.cli(['init', '--email', 'jane@example.com', '--yes'], { cwd });
    if (res.code !== 0) throw new Error(`theguard init failed (${res.code}):\n${res.stdout}\n${res.stderr}`);
    return res;
  }

  /** The human types the newest emailed code into `theguard verify` (plus `offset`, for a wrong one). */
  verify(opts: { offset?: number; id?: string; cwd?: string } = {}): Promise<RunResult> {
    const code = String((Number(this.lastCode()) + (opts.offset ?? 0)) % 1_000_000).padStart(6, '0');
    return this.cli(['verify', ...(opts.id ? [opts.id] : [])], { input: `${code}\n`, cwd: opts.cwd ?? this.repo });
  }
}

/** The code as a whole number in some text, not as part of a longer digit run. */
export { codeRe } from './leaks.js';
