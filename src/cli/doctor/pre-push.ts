import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GuardError } from '../../core/errors.js';
import { displayPath } from '../install/config-file.js';
import { type GitRepo, gitRepo } from '../install/git-repo.js';
import { HOOK_MARKER } from '../install/hook-file.js';
import { launcherScript, parseLauncher } from '../install/launcher.js';
import { hasBlock } from '../install/marked-block.js';
import { huskyInitScripts } from '../../core/git/pre-push-installed.js';
import { isExecutable, lefthookHookInstalled } from '../install/pre-push.js';
import { type PrePushInstall, readRecord } from '../install/record.js';
import type { Check, CheckResult } from './check.js';

/**
 * The git pre-push hook: installed, executable, resolvable (the launcher's node and
 * script exist and actually start), and still where git looks (core.hooksPath has not
 * moved away from it). A hook git no longer runs fails silently open, so each of these
 * is a failure, not a warning.
 */
const REINIT = 'run `theguard init` again';

export const prePushCheck: Check = {
  name: 'pre-push',
  async run({ cwd }) {
    let repo: GitRepo;
    try {
      repo = gitRepo(cwd);
    } catch (err) {
      if (err instanceof GuardError && err.kind === 'usage') return [{ status: 'warn', title: 'pre-push hook: not in a git work tree, so there is nothing to guard here' }];
      throw err;
    }
    const install = readRecord(repo.privateDir)?.prePush;
    if (!install) return [{ status: 'warn', title: 'pre-push hook: not installed; pushes are not guarded', fix: 'run `theguard init`' }];
    return [launcherResult(repo, install), entryResult(repo, install), ...placementResults(repo, install)];
  },
};

function launcherResult(repo: GitRepo, install: PrePushInstall): CheckResult {
  const shown = displayPath(repo.root, install.launcher);
  let text: string;
  try {
    text = readFileSync(install.launcher, 'utf8');
  } catch {
    return { status: 'fail', title: `pre-push launcher ${shown} is missing`, fix: REINIT };
  }
  if (!isExecutable(install.launcher)) return { status: 'fail', title: `pre-push launcher ${shown} is not executable`, fix: REINIT };
  const paths = parseLauncher(text);
  if (!paths) return { status: 'fail', title: `pre-push launcher ${shown} was edited and no longer names node and the hook script`, fix: REINIT };
  if (text !== launcherScript(paths.node, paths.hook)) return { status: 'fail', title: `pre-push launcher ${shown} was edited; the Claude Code hook no longer trusts it and gates pushes itself`, fix: REINIT };
  if (!isExecutable(paths.node)) return { status: 'fail', title: `pre-push launcher: node is gone from ${paths.node}`, fix: `${REINIT} with the node you use now` };
  const res = spawnSync(install.launcher, ['--self-check'], { cwd: repo.root, encoding: 'utf8', timeout: 30_000 });
  if (res.status !== 0) {
    return { status: 'fail', title: 'pre-push hook does not start', detail: `${res.stderr || res.error?.message || ''}`.trim().slice(0, 2000), fix: `${REINIT}; if theguard moved, reinstall it first` };
  }
  return { status: 'ok', title: `pre-push launcher: ${shown} runs ${paths.hook} with ${paths.node}` };
}

function entryResult(repo: GitRepo, install: PrePushInstall): CheckResult {
  const shown = displayPath(repo.root, install.entry);
  let text: string;
  try {
    text = readFileSync(install.entry, 'utf8');
  } catch {
    return { status: 'fail', title: `pre-push hook: ${shown} is missing, so git does not run theguard`, fix: REINIT };
  }
  const present = install.layout === 'hooks' ? text.includes(HOOK_MARKER) : hasBlock(text);
  if (!present) return { status: 'fail', title: `pre-push hook: ${shown} no longer calls theguard`, fix: REINIT };
  if (install.layout === 'hooks' && !isExecutable(install.entry)) {
    return { status: 'fail', title: `pre-push hook: ${shown} is not executable, so git skips it`, fix: `chmod +x ${install.entry}, or ${REINIT}` };
  }
  if (install.chained && !isExecutable(install.chained)) {
    return { status: 'fail', title: `pre-push hook: the chained earlier hook ${displayPath(repo.root, install.chained)} is missing or not executable`, fix: REINIT };
  }
  return { status: 'ok', title: `pre-push hook: ${shown} (${install.layout === 'hooks' ? 'git hooks dir' : install.layout})` };
}

function placementResults(repo: GitRepo, install: PrePushInstall): CheckResult[] {
  if (repo.hooksDir !== install.hooksDir) {
    return [{
      status: 'fail',
      title: `pre-push hook: core.hooksPath moved: git now runs hooks from ${displayPath(repo.root, repo.hooksDir)}, but theguard was installed for ${displayPath(repo.root, install.hooksDir)}`,
      fix: `${REINIT} (or set core.hooksPath back)`,
    }];
  }
  if (install.layout === 'husky' && !existsSync(join(repo.hooksDir, 'h'))) {
    return [{ status: 'fail', title: 'pre-push hook: husky is not active in this clone, so .husky/pre-push does not run', fix: 'run `npx husky` (or `npm install`)' }];
  }
  const init = install.layout === 'husky' ? huskyInitScripts(process.env).find((p) => existsSync(p)) : undefined;
  if (init) {
    return [{ status: 'warn', title: `pre-push hook: husky runs ${init} before every hook, and it could skip theguard's; so the Claude Code hook gates agent pushes itself (a push from Claude Code may need two codes)`, fix: `move what ${init} does elsewhere (a shell profile), if you can` }];
  }
  if (install.layout === 'lefthook' && !lefthookHookInstalled(repo.hooksDir)) {
    return [{ status: 'fail', title: 'pre-push hook: lefthook\'s own pre-push hook is not installed, so the lefthook.yml entry does not run', fix: 'run `npx lefthook install`' }];
  }
  return [];
}
