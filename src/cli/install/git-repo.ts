import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { GuardError } from '../../core/errors.js';
import { git, gitStatus } from '../../core/git/run.js';

/**
 * Where things live in this repository, asked of git: the work tree, the common git
 * dir (shared by linked worktrees, so one install covers them all), and the hooks dir
 * git will actually use (core.hooksPath when set).
 */
export interface GitRepo {
  readonly root: string;
  readonly commonDir: string;
  /** theguard's private place: <common git dir>/theguard. */
  readonly privateDir: string;
  readonly hooksDir: string;
  /** core.hooksPath and where it was set ("local", "worktree", "global", ...), or null. */
  readonly hooksPath: { readonly value: string; readonly scope: string } | null;
}

export function gitRepo(cwd: string): GitRepo {
  const inside = gitStatus(['rev-parse', '--is-inside-work-tree'], { cwd });
  if (inside.status !== 0 || inside.stdout.trim() !== 'true') {
    throw new GuardError('usage', `${cwd} is not inside a git work tree`, 'run this in your repository (or `git init` first)');
  }
  const root = git(['rev-parse', '--show-toplevel'], { cwd }).trim();
  const commonDir = realpathSync(resolve(cwd, git(['rev-parse', '--git-common-dir'], { cwd }).trim()));
  const hooksDir = resolve(cwd, git(['rev-parse', '--git-path', 'hooks'], { cwd }).trim());
  const scoped = gitStatus(['config', '--show-scope', '--get', 'core.hooksPath'], { cwd });
  let hooksPath: GitRepo['hooksPath'] = null;
  if (scoped.status === 0) {
    const [scope, ...value] = scoped.stdout.replace(/\n$/, '').split('\t');
    hooksPath = { scope: scope ?? 'unknown', value: value.join('\t') };
  }
  return { root, commonDir, privateDir: join(commonDir, 'theguard'), hooksDir, hooksPath };
}

/** Which hook manager, if any, runs this repository's hooks. */
export type HookLayout =
  | { readonly kind: 'hooks'; readonly entry: string }
  | { readonly kind: 'husky'; readonly entry: string; readonly active: boolean }
  | { readonly kind: 'lefthook'; readonly entry: string };

export const LEFTHOOK_FILES = ['lefthook.yml', '.lefthook.yml', 'lefthook.yaml', '.lefthook.yaml'];
const LEFTHOOK_OTHER = ['lefthook.json', '.lefthook.json', 'lefthook.toml', '.lefthook.toml', '.config/lefthook.yml', '.config/lefthook.yaml'];

export function detectLayout(repo: GitRepo): HookLayout {
  // husky v9 sets core.hooksPath to <dir>/_ and puts its runner `h` there; user hooks live in <dir>.
  if (repo.hooksPath && basename(repo.hooksDir) === '_' && existsSync(join(repo.hooksDir, 'h'))) {
    return { kind: 'husky', entry: join(dirname(repo.hooksDir), 'pre-push'), active: true };
  }
  const lefthook = LEFTHOOK_FILES.map((f) => join(repo.root, f)).find((p) => existsSync(p));
  if (lefthook) return { kind: 'lefthook', entry: lefthook };
  const other = LEFTHOOK_OTHER.find((f) => existsSync(join(repo.root, f)));
  if (other) {
    throw new GuardError('usage', `lefthook is configured in ${other}, which theguard cannot edit (it edits lefthook.yml)`,
      'add the theguard entry to your lefthook configuration by hand (docs/git.md shows it), or move it to lefthook.yml');
  }
  if (!repo.hooksPath && isDir(join(repo.root, '.husky'))) {
    return { kind: 'husky', entry: join(repo.root, '.husky', 'pre-push'), active: false };
  }
  return { kind: 'hooks', entry: join(repo.hooksDir, 'pre-push') };
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
