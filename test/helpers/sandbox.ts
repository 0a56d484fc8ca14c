import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CLI = join(ROOT, 'dist/cli.js');
export const LIB = join(ROOT, 'dist/index.js');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A throwaway world for one test: a git repository, and private XDG config and state
 * dirs so the pepper and the outbox never touch the real user's files.
 */
export class Sandbox {
  readonly base: string;
  readonly repo: string;
  readonly env: NodeJS.ProcessEnv;

  constructor(opts: { git?: boolean; config?: object } = {}) {
    this.base = mkdtempSync(join(tmpdir(), 'theguard-test-'));
    this.repo = join(this.base, 'repo');
    mkdirSync(this.repo);
    this.env = {
      PATH: process.env.PATH,
      HOME: join(this.base, 'home'),
      XDG_CONFIG_HOME: join(this.base, 'config'),
      XDG_STATE_HOME: join(this.base, 'state'),
      LANG: 'C.UTF-8',
      GIT_CONFIG_NOSYSTEM: '1',
    };
    mkdirSync(this.env.HOME as string);
    if (opts.git !== false) execFileSync('git', ['init', '-q', this.repo], { env: this.env });
    if (opts.config) this.writeConfig(opts.config);
  }

  get stateDir(): string {
    return join(this.repo, '.theguard');
  }
  get outbox(): string {
    return join(this.base, 'state', 'theguard', 'outbox');
  }
  get pepperPath(): string {
    return join(this.base, 'config', 'theguard', 'pepper');
  }

  writeConfig(config: object, name = '.theguard.json'): void {
    writeFileSync(join(this.repo, name), JSON.stringify(config, null, 2));
  }

  /** Run the built CLI as a real child process. */
  cli(args: string[], opts: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
    return run(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? this.repo, env: { ...this.env, ...opts.env }, input: opts.input, timeoutMs: opts.timeoutMs });
  }

  node(script: string, args: string[], opts: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
    return run(process.execPath, [script, ...args], { cwd: opts.cwd ?? this.repo, env: { ...this.env, ...opts.env }, input: opts.input });
  }

  /** The .eml files delivered so far, oldest first. */
  mails(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.outbox).filter((n) => n.endsWith('.eml')).sort();
    } catch {
      return [];
    }
    return names.map((n) => readFileSync(join(this.outbox, n), 'utf8'));
  }

  /** The code in the newest delivered message (read the way a human reads the email). */
  lastCode(): string {
    const mails = this.mails();
    const code = codeIn(mails[mails.length - 1] ?? '');
    if (!code) throw new Error('no code has been delivered');
    return code;
  }

  cleanup(): void {
    rmSync(this.base, { recursive: true, force: true });
  }
}

export function codeIn(mail: string): string | null {
  return mail.match(/Your theguard code: (\d{6})/)?.[1] ?? null;
}

/** A six-digit code guaranteed to differ from `code`. */
export function wrongCode(code: string, n = 1): string {
  return String((Number(code) + n) % 1_000_000).padStart(6, '0');
}

export function run(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; input?: string | undefined; timeoutMs?: number | undefined }): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

/** Wait for `expect` on the screen, then type `send`, or the code from the newest mail in `codeFrom` (+ offset). */
export type PtyStep = { expect: string; delay?: number } & ({ send: string } | { codeFrom: string; offset?: number });

export interface PtyResult {
  exit: number;
  output: string;
  pendingSteps: number;
}

/** Run a command on a real pseudo-terminal (its controlling terminal), answering prompts like a human. */
export async function onPty(
  argv: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; steps?: PtyStep[]; timeout?: number },
): Promise<PtyResult> {
  const spec = JSON.stringify({ argv, cwd: opts.cwd, env: opts.env, steps: opts.steps ?? [], timeout: opts.timeout ?? 30 });
  const res = await run('python3', [join(ROOT, 'test/helpers/pty_run.py')], { cwd: opts.cwd, env: { ...process.env }, input: spec, timeoutMs: ((opts.timeout ?? 30) + 10) * 1000 });
  if (res.code !== 0) throw new Error(`pty helper failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as PtyResult;
}
