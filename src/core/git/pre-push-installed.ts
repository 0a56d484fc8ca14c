import { accessSync, constants, lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { CHAINED_ENV } from './chain.js';
import { HUSKY_STUB, LEFTHOOK_RUN, huskyBlock, isOurHookFile, launcherScript, parseLauncher } from './hook-entries.js';
import { BLOCK_BEGIN, BLOCK_END } from './hook-markers.js';
import { gitStatus } from './run.js';

/**
 * Would a `git push` run in `repoDir` go through theguard's pre-push hook? The Claude
 * Code hook asks before it leaves a push to that hook, so that each push needs exactly
 * one code. "Yes" must be true, so it is read off what git will actually run, never
 * off theguard's install record (a file an agent could forge):
 * - the launcher `<git-common-dir>/theguard/pre-push` is byte for byte what
 *   `theguard init` writes, for a node binary and hook script that are this very
 *   theguard's (`own`: the node running the Claude Code hook, and the pre-push.js built
 *   beside it), and is executable;
 * - the pre-push entry in the hooks dir git uses now (core.hooksPath included) calls
 *   that launcher: theguard's own hook file, or husky's stub with theguard's block at
 *   the top of the husky script, or lefthook's hook with theguard's command in the
 *   lefthook configuration; and nothing in the environment tells husky or lefthook to
 *   skip it.
 * Any doubt answers "no", and the Claude Code hook gates the push itself: at worst the
 * human types two codes for one push, never none. Asked only for commands that push:
 * one git call and a few small reads.
 */
export interface OwnGuard {
  /** The node binary running theguard now. */
  readonly node: string;
  /** theguard's dist/hooks/pre-push.js beside the running hook. */
  readonly hookScript: string;
}

export function prePushGuardInstalled(repoDir: string, env: NodeJS.ProcessEnv, own: OwnGuard): boolean {
  try {
    const r = gitStatus(['rev-parse', '--show-toplevel', '--git-common-dir', '--git-path', 'hooks'], { cwd: repoDir, env });
    if (r.status !== 0) return false;
    const [top, common, hooks] = r.stdout.replace(/\n$/, '').split('\n').map((l) => resolve(repoDir, l));
    if (!top || !common || !hooks) return false;
    return launcherIsOurs(join(common, 'theguard', 'pre-push'), own) && entryRunsLauncher(top, hooks, env);
  } catch {
    return false;
  }
}

/** The launcher as init writes it, naming this node and this theguard's hook script. */
export function launcherIsOurs(launcher: string, own: OwnGuard): boolean {
  // init writes a regular file; a symlink would lead to a file outside the guarded dir.
  if (!regularFile(launcher)) return false;
  const text = readSmall(launcher);
  if (text === null || !executable(launcher)) return false;
  const named = parseLauncher(text);
  if (!named || text !== launcherScript(named.node, named.hook)) return false;
  if (!isAbsolute(named.node) || !isAbsolute(named.hook)) return false;
  return sameFile(named.node, own.node) && executable(named.node) && sameFile(named.hook, own.hookScript);
}

function entryRunsLauncher(top: string, hooks: string, env: NodeJS.ProcessEnv): boolean {
  const entry = join(hooks, 'pre-push');
  const text = readSmall(entry);
  if (text === null || !executable(entry)) return false;
  if (isOurHookFile(text)) return true;
  if (text.trimEnd() === HUSKY_STUB) return huskyRuns(hooks, env);
  if (text.includes('lefthook')) return lefthookRuns(top, env);
  return false;
}

/**
 * husky v9: git runs `<dir>/_/pre-push`, which sources `_/h`, which sources the user's
 * `~/.config/husky/init.sh` (any code at all, `exit 0` included), skips everything on
 * HUSKY=0, then runs `<dir>/pre-push` with `sh -e`. theguard's block must open that script.
 */
function huskyRuns(hooks: string, env: NodeJS.ProcessEnv): boolean {
  if (basename(hooks) !== '_' || readSmall(join(hooks, 'h')) === null) return false;
  if (env.HUSKY === '0' || env[CHAINED_ENV] !== undefined) return false;
  if (huskyInitScripts(env).some((p) => readSmall(p) !== null)) return false;
  const script = readSmall(join(dirname(hooks), 'pre-push'));
  if (script === null) return false;
  const lines = script.split('\n');
  const at = lines[0]?.startsWith('#!') ? 1 : 0;
  return huskyBlock().every((l, i) => lines[at + i] === l);
}

/** Where husky's runner looks for a user init script: `${XDG_CONFIG_HOME:-$HOME/.config}/husky/init.sh`. */
export function huskyInitScripts(env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  if (env.XDG_CONFIG_HOME) out.push(join(env.XDG_CONFIG_HOME, 'husky', 'init.sh'));
  else if (env.HOME) out.push(join(env.HOME, '.config', 'husky', 'init.sh'));
  return out;
}

const LEFTHOOK_MAIN = ['lefthook.yml', '.lefthook.yml', 'lefthook.yaml', '.lefthook.yaml'];
const LEFTHOOK_LOCAL = ['lefthook-local.yml', '.lefthook-local.yml', 'lefthook-local.yaml', '.lefthook-local.yaml'];

/**
 * lefthook: its hook in git's hooks dir runs the commands in the work tree's lefthook
 * configuration. theguard's command must be there, whole, and nothing may switch it
 * off: LEFTHOOK=0, LEFTHOOK_EXCLUDE or a local override file that touches pre-push.
 */
function lefthookRuns(top: string, env: NodeJS.ProcessEnv): boolean {
  if ((env.LEFTHOOK !== undefined && !['1', 'true'].includes(env.LEFTHOOK)) || env.LEFTHOOK_EXCLUDE !== undefined || env.LEFTHOOK_SKIP !== undefined) return false;
  if (LEFTHOOK_LOCAL.some((f) => /pre-push|theguard/.test(readSmall(join(top, f)) ?? ''))) return false;
  const config = LEFTHOOK_MAIN.map((f) => readSmall(join(top, f))).find((t) => t !== null);
  if (!config) return false;
  const lines = config.split('\n').map((l) => l.trim());
  const start = lines.indexOf(BLOCK_BEGIN);
  const end = lines.indexOf(BLOCK_END, start + 1);
  if (start < 0 || end < 0) return false;
  const block = lines.slice(start + 1, end);
  const named = block[0] === 'theguard:' || block[0] === '- name: theguard' || block[0] === 'pre-push:';
  return named && block.includes(`run: ${LEFTHOOK_RUN}`) && block.includes('use_stdin: true') && !block.some((l) => /^(skip|only|tags|exclude|if)\s*:/.test(l));
}

function readSmall(path: string): string | null {
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size > 1024 * 1024) return null;
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function regularFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
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
