import { accessSync, constants, readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BLOCK_BEGIN, HOOK_MARKER } from './hook-markers.js';
import { gitStatus } from './run.js';

/**
 * Would a `git push` run in `repoDir` go through theguard's pre-push hook? The Claude
 * Code hook asks before it leaves a push to that hook, so that each push needs exactly
 * one code. "Yes" must be true: the install record exists, git still looks for hooks
 * where theguard put its hook (core.hooksPath has not moved), and the hook file still
 * calls theguard. Any doubt answers "no", and the Claude Code hook gates the push itself.
 * Asked only for commands that push, so one git call is affordable.
 */
export function prePushGuardInstalled(repoDir: string, env: NodeJS.ProcessEnv = process.env): boolean {
  try {
    const r = gitStatus(['rev-parse', '--git-common-dir', '--git-path', 'hooks'], { cwd: repoDir, env });
    if (r.status !== 0) return false;
    const [common, hooks] = r.stdout.trim().split('\n').map((l) => realpathOrSelf(resolve(repoDir, l)));
    if (!common || !hooks) return false;
    const record = JSON.parse(readFileSync(join(common, 'theguard', 'install.json'), 'utf8')) as {
      prePush?: { layout?: string; hooksDir?: string; entry?: string; launcher?: string };
    };
    const p = record.prePush;
    if (!p?.entry || !p.launcher || !p.hooksDir || realpathOrSelf(p.hooksDir) !== hooks) return false;
    const entry = readFileSync(p.entry, 'utf8');
    const marked = p.layout === 'hooks' ? entry.includes(HOOK_MARKER) && executable(p.entry) : entry.split('\n').some((l) => l.trim() === BLOCK_BEGIN);
    // A lefthook.yml entry runs only if lefthook's own hook is in git's hooks dir.
    const runs = p.layout !== 'lefthook' || lefthookHookInstalled(hooks);
    return marked && runs && executable(p.launcher);
  } catch {
    return false;
  }
}

export function lefthookHookInstalled(hooksDir: string): boolean {
  try {
    return readFileSync(join(hooksDir, 'pre-push'), 'utf8').includes('lefthook');
  } catch {
    return false;
  }
}

export function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function realpathOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
