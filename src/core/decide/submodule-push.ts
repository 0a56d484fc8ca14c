import { join } from 'node:path';
import type { DecisionContext } from './context.js';
import type { PushFinding } from '../rules/git-push.js';
import { gitCall } from '../rules/git.js';
import { configFiles, findRepo, parseGitConfig, reposAt } from '../shell/git-config.js';
import type { Invocation } from '../shell/invocation.js';
import type { Word } from '../shell/syntax.js';
import { literal } from '../shell/words.js';

/**
 * `git push --recurse-submodules=on-demand` (or `only`, or the same from
 * `push.recurseSubmodules` or `submodule.recurse`) also runs a `git push` inside each
 * submodule. That push runs the submodule's pre-push hook, which theguard did not
 * install, and the main repository's hook only sees the main repository's refs. So in a
 * repository with submodules (a `.gitmodules` at the top of its work tree) such a push
 * is gated by the Claude Code hook itself, as a push of branches theguard cannot name.
 *
 * The setting is read from the command line (the last `--[no-]recurse-submodules` wins),
 * then `-c`, then the config files git reads (system, global, the repository's; their
 * includes are not followed): any file that turns recursion on counts, whatever order
 * git would read them in. `check` pushes nothing in the submodules and is not gated.
 * Returns why the push is gated here, or null.
 */
export function submodulePush(inv: Invocation, push: PushFinding, ctx: DecisionContext): string | null {
  const call = gitCall(inv, ctx.home);
  if (!call || push.dryRun) return null;
  if (push.dir !== null && !push.elsewhere && !hasSubmodules(push.dir, ctx)) return null;
  const setting = commandLine(call.args) ?? fromConfigs(call.configs) ?? (push.dir === null ? null : fromFiles(push.dir, ctx));
  if (setting === null || !pushesSubmodules(setting)) return null;
  return `it also pushes inside the submodules (recurse-submodules ${setting}), whose branches theguard cannot name and whose pre-push hooks are not theguard's`;
}

/** `on-demand`, `only`, or a value only known at run time (`?`). */
function pushesSubmodules(v: string): boolean {
  return v === 'on-demand' || v === 'only' || v === '?';
}

/** The last `--recurse-submodules[=]V` or `--no-recurse-submodules` (abbreviated as git allows). */
function commandLine(args: readonly Word[]): string | null {
  let value: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const t = literal(args[i] as Word);
    if (t === '--') break;
    const m = t === null ? null : /^--(no-)?(rec[a-z-]*)(=(.*))?$/s.exec(t);
    if (!m || !'recurse-submodules'.startsWith(m[2] as string)) continue;
    if (m[1]) value = 'no';
    else if (m[3] !== undefined) value = (m[4] as string).toLowerCase();
    else value = i + 1 < args.length ? (literal(args[++i] as Word)?.toLowerCase() ?? '?') : '?';
  }
  return value;
}

/** From `-c` settings (text, as approximated: an unknown part makes the value unknown). */
function fromConfigs(configs: readonly string[]): string | null {
  let value: string | null = null;
  for (const c of configs) {
    const eq = c.indexOf('=');
    const key = (eq === -1 ? c : c.slice(0, eq)).toLowerCase();
    const v = eq === -1 ? 'true' : c.slice(eq + 1);
    if (key.includes('\u0000') || v.includes('\u0000')) value = '?';
    else if (key === 'push.recursesubmodules') value = v.toLowerCase();
    else if (key === 'submodule.recurse') value = boolTrue(v) ? 'on-demand' : 'no';
  }
  return value;
}

function fromFiles(dir: string, ctx: DecisionContext): string | null {
  const places = [{ home: ctx.home, xdgConfigHome: ctx.env.XDG_CONFIG_HOME, global: ctx.env.GIT_CONFIG_GLOBAL, system: ctx.env.GIT_CONFIG_SYSTEM }];
  let found: string | null = null;
  for (const file of configFiles(reposAt(dir, ctx.readFile), places)) {
    const read = ctx.readFile(file);
    if (read.kind !== 'ok') continue;
    for (const e of parseGitConfig(read.text)) {
      const v = e.value ?? 'true';
      if (e.key === 'push.recursesubmodules' && pushesSubmodules(v.toLowerCase())) found = v.toLowerCase();
      if (e.key === 'submodule.recurse' && boolTrue(v)) found = 'on-demand';
    }
  }
  return found;
}

function boolTrue(v: string): boolean {
  return /^(true|yes|on|1|)$/i.test(v.trim());
}

/** A `.gitmodules` at the top of the work tree (one theguard cannot read counts). */
function hasSubmodules(dir: string, ctx: DecisionContext): boolean {
  const top = findRepo(dir, ctx.readFile)?.top;
  if (!top) return false;
  return ctx.readFile(join(top, '.gitmodules')).kind !== 'missing';
}
