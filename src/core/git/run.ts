import { spawnSync } from 'node:child_process';
import { GuardError } from '../errors.js';

/**
 * Run git and return its stdout. The push guard asks git, never parses .git itself:
 * git knows worktrees, alternates, object formats and packed refs. A failure is a
 * GuardError naming the command, so the hook can block the push and say why.
 */
export interface GitOptions {
  readonly cwd: string;
  readonly input?: string | Buffer;
  readonly env?: NodeJS.ProcessEnv;
}

export interface GitResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

const MAX_OUTPUT = 64 * 1024 * 1024;

/** Run git and hand back its exit status; only a git that cannot start at all throws. */
export function gitStatus(args: readonly string[], opts: GitOptions): GitResult {
  const res = spawnSync('git', args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    input: opts.input ?? '',
    encoding: 'utf8',
    maxBuffer: MAX_OUTPUT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (res.error) {
    throw new GuardError('git', `cannot run git ${args[0] ?? ''}: ${res.error.message}`, 'make sure git is installed and on PATH', { cause: res.error });
  }
  if (res.status === null) throw new GuardError('git', `git ${args.join(' ')} was killed by ${res.signal ?? 'a signal'}`, 'run the push again');
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** Run git; anything but exit 0 is an error that quotes git's own message. */
export function git(args: readonly string[], opts: GitOptions): string {
  const res = gitStatus(args, opts);
  if (res.status !== 0) {
    const said = res.stderr.trim().split('\n').slice(0, 3).join(' / ') || `exit ${res.status}`;
    throw new GuardError('git', `git ${args.join(' ')} failed: ${said}`, 'check that this is a healthy git repository (`git status`, `git fsck`)');
  }
  return res.stdout;
}
