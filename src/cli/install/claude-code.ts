import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { GuardError } from '../../core/errors.js';
import { isInside, userConfigDir, userStateDir } from '../../core/lib/paths.js';
import { displayPath } from './config-file.js';
import type { InstallContext, Installer } from './installer.js';
import { shQuote } from './sh-quote.js';

/**
 * The Claude Code PreToolUse hook, registered in the project's `.claude/settings.json`
 * (or `settings.local.json` with `--claude-settings local`, for a file that is not
 * committed: the command holds this machine's absolute paths). The entry is merged into
 * whatever is there; nothing else in the file changes, and uninstall takes out exactly
 * what init put in.
 */
export interface ToolHookTarget {
  readonly nodePath: string;
  /** theguard's built dist/hooks/pre-tool-use.cjs */
  readonly toolHookScript: string;
}

/**
 * Every tool: Claude Code reads "*" as "match all". A narrower list would leave rules on
 * other tools (`{ "tool": "WebFetch", "action": "block" }`) unenforced and tools added in
 * later Claude Code versions unchecked by self-protection. A call to a tool theguard has
 * nothing to say about costs one light hook run, as a Read does.
 */
export const CLAUDE_MATCHER = '*';

/** Does a registered matcher cover every tool? (Claude Code: "*", "" or none.) */
export function matchesAllTools(matcher: unknown): boolean {
  return matcher === undefined || matcher === '*' || matcher === '';
}

/**
 * Claude Code cancels a hook after `timeout` seconds. The hook sends an email (at most
 * `email.timeoutSeconds`, 30 at the very most) and runs scrypt, and stops itself with a
 * deny before this; `onFailure: "block"` makes Claude Code block the call if the hook
 * dies or times out anyway (Claude Code 2.1.295+; older versions would let it run).
 */
export const CLAUDE_HOOK_TIMEOUT_SECONDS = 60;

export type SettingsScope = 'project' | 'local';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

export function settingsPath(root: string, scope: SettingsScope): string {
  return join(root, '.claude', scope === 'local' ? 'settings.local.json' : 'settings.json');
}

export function hookCommand(t: ToolHookTarget): string {
  return `${shQuote(t.nodePath)} ${shQuote(t.toolHookScript)}`;
}

/** Is this hook entry one of ours? (Its command runs theguard's pre-tool-use script.) */
export function isOurHook(h: Json): boolean {
  return typeof h === 'object' && h !== null && !Array.isArray(h) && typeof h.command === 'string' && /[/\\]hooks[/\\]pre-tool-use\.cjs'?$/.test(h.command.trim());
}

export function claudeCodeInstaller(target: ToolHookTarget, scope: SettingsScope): Installer {
  return {
    name: 'claude-code',
    async preflight(ctx) {
      if (!existsSync(target.toolHookScript)) {
        throw new GuardError('usage', `theguard's Claude Code hook ${target.toolHookScript} is missing`, 'build theguard first (`npm run build`), or reinstall it');
      }
      parseSettings(ctx, settingsPath(ctx.repo.root, scope));
    },
    async install(ctx) {
      const path = settingsPath(ctx.repo.root, scope);
      const settings = parseSettings(ctx, path);
      const { config } = await ctx.config();
      const before = JSON.stringify(settings);
      addHook(settings, target);
      const added = addDenyRules(settings, denyRules(ctx.repo.root, config.stateDir, config.email.outbox));
      rememberDenyRules(ctx, path, added);
      const shown = displayPath(ctx.repo.root, path);
      if (JSON.stringify(settings) === before) {
        ctx.say(`Claude Code hook: already registered in ${shown}`);
        return;
      }
      ctx.files.write('claude-code', path, `${JSON.stringify(settings, null, 2)}\n`, ctx.files.modeOf(path, 0o644));
      ctx.say(`Claude Code hook: registered in ${shown} (PreToolUse on every tool, onFailure "block")`);
      if (added.length > 0) ctx.say(`  permissions.deny: ${added.length} rule(s) keeping the agent's file tools out of theguard's files`);
      if (scope === 'project') ctx.say(`  the command holds this machine's paths; if ${shown} is committed, prefer --claude-settings local`);
    },
    unpatch(change, content, record) {
      let settings: Obj;
      try {
        settings = JSON.parse(content) as Obj;
      } catch {
        return null;
      }
      removeOurs(settings, change, record.claudeDenyRules?.[change.path]);
      return `${JSON.stringify(settings, null, 2)}\n`;
    },
  };
}

function parseSettings(ctx: InstallContext, path: string): Obj {
  const text = ctx.files.read(path);
  if (text === null || text.trim() === '') return {};
  try {
    const parsed = JSON.parse(text) as Json;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('it is not a JSON object');
    return parsed;
  } catch (err) {
    throw new GuardError('usage', `${displayPath(ctx.repo.root, path)} is not valid JSON (${(err as Error).message}); theguard will not rewrite a file it cannot read`,
      'fix the file (Claude Code cannot read it either), then run `theguard init` again');
  }
}

function obj(parent: Obj, key: string): Obj {
  const v = parent[key];
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v;
  if (v !== undefined) throw new GuardError('usage', `"${key}" in the Claude Code settings is not an object`, `fix "${key}" by hand, then run \`theguard init\` again`);
  const fresh: Obj = {};
  parent[key] = fresh;
  return fresh;
}

function arr(parent: Obj, key: string): Json[] {
  const v = parent[key];
  if (Array.isArray(v)) return v;
  if (v !== undefined) throw new GuardError('usage', `"${key}" in the Claude Code settings is not a list`, `fix "${key}" by hand, then run \`theguard init\` again`);
  const fresh: Json[] = [];
  parent[key] = fresh;
  return fresh;
}

function ourEntry(target: ToolHookTarget): Obj {
  return { matcher: CLAUDE_MATCHER, hooks: [{ type: 'command', command: hookCommand(target), timeout: CLAUDE_HOOK_TIMEOUT_SECONDS, onFailure: 'block' }] };
}

/** Put our entry in PreToolUse, replacing an older one of ours (another node, another path), keeping everyone else's. */
function addHook(settings: Obj, target: ToolHookTarget): void {
  const pre = arr(obj(settings, 'hooks'), 'PreToolUse');
  const want = ourEntry(target);
  const i = pre.findIndex((e) => typeof e === 'object' && e !== null && !Array.isArray(e) && Array.isArray(e.hooks) && e.hooks.some(isOurHook));
  if (i < 0) pre.push(want);
  else if (JSON.stringify(pre[i]) !== JSON.stringify(want)) pre[i] = want;
}

/** Add the rules not there yet; returns those it added. */
function addDenyRules(settings: Obj, rules: string[]): string[] {
  const deny = arr(obj(settings, 'permissions'), 'deny');
  const added: string[] = [];
  for (const r of rules) {
    if (!deny.includes(r)) {
      deny.push(r);
      added.push(r);
    }
  }
  return added;
}

/** Note in the install record which rules init added, so uninstall takes out those and only those. */
function rememberDenyRules(ctx: InstallContext, path: string, added: readonly string[]): void {
  if (added.length === 0) return;
  const all = (ctx.files.record.claudeDenyRules ??= {});
  const known = all[path] ?? [];
  all[path] = [...known, ...added.filter((r) => !known.includes(r))];
  ctx.files.changed = true;
}

/**
 * Claude Code's own permission rules for theguard's files, a second wall behind the hook:
 * `/x` is relative to the project (the settings file's root), `~/x` to the home
 * directory, `//x` absolute.
 */
export function denyRules(root: string, stateDir: string, outbox: string): string[] {
  const home = process.env.HOME && isAbsolute(process.env.HOME) ? process.env.HOME : homedir();
  const place = (abs: string): string => {
    const inRoot = relative(root, abs);
    if (inRoot && !inRoot.startsWith('..') && !isAbsolute(inRoot)) return `/${inRoot.split('\\').join('/')}`;
    const inHome = relative(home, abs);
    if (inHome && !inHome.startsWith('..') && !isAbsolute(inHome)) return `~/${inHome.split('\\').join('/')}`;
    return `/${abs}`;
  };
  const all = [stateDir, userConfigDir(), userStateDir(), outbox];
  // A directory inside another listed one is already covered by the outer rule.
  const dirs = all.filter((d, i) => !all.some((o, j) => j !== i && o !== d && isInside(d, o)));
  const rules: string[] = [];
  for (const d of [...new Set(dirs.map(place))]) rules.push(`Read(${d}/**)`, `Edit(${d}/**)`);
  rules.push('Edit(/.theguard.json)');
  return rules;
}

/**
 * Take out our hook entry and the deny rules init added, and any container init created
 * empty. The rules are those the install record lists; a record from before theguard
 * kept that list falls back to the rules of init's shape that were not there before.
 */
function removeOurs(settings: Obj, change: { before: { kind: string; data?: string } }, added: readonly string[] | undefined): void {
  const hooks = settings.hooks;
  if (typeof hooks === 'object' && hooks !== null && !Array.isArray(hooks) && Array.isArray(hooks.PreToolUse)) {
    hooks.PreToolUse = hooks.PreToolUse.filter((e) => !(typeof e === 'object' && e !== null && !Array.isArray(e) && Array.isArray(e.hooks) && e.hooks.some(isOurHook)));
    if (hooks.PreToolUse.length === 0) delete hooks.PreToolUse;
    if (Object.keys(hooks).length === 0) delete settings.hooks;
  }
  const before = priorDeny(change);
  const perms = settings.permissions;
  if (typeof perms === 'object' && perms !== null && !Array.isArray(perms) && Array.isArray(perms.deny)) {
    const ours = (r: string) => (added ? added.includes(r) : /^(Read|Edit)\(.*theguard.*\)$/.test(r));
    perms.deny = perms.deny.filter((r) => typeof r !== 'string' || before.has(r) || !ours(r));
    if (perms.deny.length === 0) delete perms.deny;
    if (Object.keys(perms).length === 0) delete settings.permissions;
  }
}

/** The deny rules that were there before init (those stay). */
function priorDeny(change: { before: { kind: string; data?: string } }): Set<string> {
  if (change.before.kind !== 'file' || !change.before.data) return new Set();
  try {
    const s = JSON.parse(Buffer.from(change.before.data, 'base64').toString('utf8')) as Obj;
    const deny = (s.permissions as Obj | undefined)?.deny;
    return new Set(Array.isArray(deny) ? deny.filter((r): r is string => typeof r === 'string') : []);
  } catch {
    return new Set();
  }
}
