import { accessSync, constants, lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { CHAINED_ENV } from './chain.js';
import { HUSKY_STUB, LEFTHOOK_JOB, huskyBlock, isOurHookFile, launcherScript, lefthookJobKeys, parseLauncher } from './hook-entries.js';
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

/**
 * `checkoutChanges`: the same command line also rewrites the checkout (git-checkout and
 * the like). Then a hook that depends on files in the work tree (husky, lefthook, a
 * `core.hooksPath` inside it) may be gone by the time git pushes, so the answer is no.
 */
export function prePushGuardInstalled(repoDir: string, env: NodeJS.ProcessEnv, own: OwnGuard, checkoutChanges = false): boolean {
  try {
    const r = gitStatus(['rev-parse', '--show-toplevel', '--git-common-dir', '--git-path', 'hooks'], { cwd: repoDir, env });
    if (r.status !== 0) return false;
    const [top, common, hooks] = r.stdout.replace(/\n$/, '').split('\n').map((l) => resolve(repoDir, l));
    if (!top || !common || !hooks) return false;
    if (checkoutChanges && dependsOnCheckout(top, common, hooks)) return false;
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

/**
 * A hooks dir in the work tree, outside the git dir (husky's `.husky/_`, a tracked
 * `.githooks`), or lefthook, which reads lefthook.yml there.
 */
function dependsOnCheckout(top: string, common: string, hooks: string): boolean {
  const under = (dir: string, p: string) => p === dir || p.startsWith(`${dir}/`);
  const inTree = (p: string) => under(top, p) && !under(common, p);
  try {
    if (inTree(hooks) || inTree(realpathSync(hooks))) return true;
  } catch {
    return true;
  }
  return (readSmall(join(hooks, 'pre-push')) ?? '').includes('lefthook');
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
 * off: LEFTHOOK=0, LEFTHOOK_EXCLUDE, LEFTHOOK_SKIP, LEFTHOOK_BIN or LEFTHOOK_CONFIG
 * (another program or configuration), or a local override file that touches pre-push.
 */
function lefthookRuns(top: string, env: NodeJS.ProcessEnv): boolean {
  if ((env.LEFTHOOK !== undefined && !['1', 'true'].includes(env.LEFTHOOK)) || env.LEFTHOOK_EXCLUDE !== undefined || env.LEFTHOOK_SKIP !== undefined) return false;
  if (env.LEFTHOOK_BIN !== undefined || env.LEFTHOOK_CONFIG !== undefined) return false;
  if (LEFTHOOK_LOCAL.some((f) => /pre-push|theguard/.test(readSmall(join(top, f)) ?? ''))) return false;
  const name = LEFTHOOK_MAIN.find((f) => readSmall(join(top, f)) !== null);
  const config = name === undefined ? null : readSmall(join(top, name));
  if (!name || !config) return false;
  return markedBlocks(config.split('\n')).some((b) => jobExact(b.lines, b.after, name));
}

/**
 * The lines between each pair of theguard's markers (init may write two: `piped: true`
 * and the job), with the first content line after the end marker.
 */
function markedBlocks(lines: readonly string[]): { lines: string[]; after: string }[] {
  const out: { lines: string[]; after: string }[] = [];
  for (let at = 0; at < lines.length; at++) {
    if (lines[at]?.trim() !== BLOCK_BEGIN) continue;
    const end = lines.findIndex((l, i) => i > at && l.trim() === BLOCK_END);
    if (end < 0) break;
    const after = lines.slice(end + 1).find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
    out.push({ lines: lines.slice(at + 1, end), after });
    at = end;
  }
  return out;
}

/**
 * theguard's job exactly as init writes it, in any of its forms (a `commands` map entry,
 * a `jobs` list item, under a new `commands:` or a new `pre-push:`), its keys at one
 * indentation and nothing after them: no `skip`, `only` or other key of the job's own,
 * inside the markers or below them (`after`, the next content line, must not be deeper
 * than the job's head).
 */
function jobExact(block: readonly string[], after: string, configName: string): boolean {
  const head = block.findIndex((l) => l.trim() === `${LEFTHOOK_JOB}:` || l.trim() === `- name: ${LEFTHOOK_JOB}`);
  if (head < 0) return false;
  const before = block.slice(0, head).map((l) => l.trim()).join('\n');
  if (!['', 'commands:', 'pre-push:\npiped: true\ncommands:'].includes(before)) return false;
  const keys = block.slice(head + 1);
  const indent = /^(\s*)/.exec(keys[0] ?? '')?.[1] ?? '';
  const unit = (/^(\s*)/.exec(keys[1] ?? '')?.[1] ?? '').slice(indent.length);
  const headIndent = (/^(\s*)/.exec(block[head] as string)?.[1] ?? '').length;
  if (indent.length <= headIndent || unit === '') return false;
  if ((/^(\s*)/.exec(after)?.[1] ?? '').length > headIndent) return false;
  const want = lefthookJobKeys(unit, configName).map((k) => `${indent}${k}`);
  return keys.length === want.length && want.every((l, i) => keys[i] === l);
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
