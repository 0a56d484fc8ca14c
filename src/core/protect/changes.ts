import { canonicalJson } from '../lib/canonical-json.js';
import type { Special } from './targets.js';

/**
 * For files that hold both guarded and ordinary settings (package.json, Claude Code's
 * settings, lefthook.yml, git config), a file tool's write is judged by what it
 * changes: adding a dependency is fine, touching the "theguard" key is not.
 */
export function touchesGuarded(special: Special, file: string, before: string | null, after: string): boolean {
  switch (special) {
    case 'package-json':
      return jsonKeysDiffer(before, after, ['theguard'], /theguard/i);
    case 'claude-settings':
      // `env` reaches the hook's own process (NODE_OPTIONS, HOME, PATH); plugins bring hooks of their own.
      return jsonKeysDiffer(before, after, CLAUDE_GUARDED_KEYS, /hooks|"env"|plugins|marketplaces/i) || dropsGuardDenyRules(before, after);
    case 'lefthook':
      if (file.endsWith('.json')) return jsonKeysDiffer(before, after, ['pre-push'], /pre-push/);
      if (file.endsWith('.toml')) return before !== after && (/pre-push/.test(before ?? '') || /pre-push/.test(after));
      return section(before ?? '', 'pre-push') !== section(after, 'pre-push');
    case 'git-config':
      return linesMatching(before ?? '', /hookspath|^\s*\[include|^\s*path\s*=/i) !== linesMatching(after, /hookspath|^\s*\[include|^\s*path\s*=/i);
  }
}

/**
 * Claude Code settings that decide whether and how theguard's hook runs: the hooks
 * themselves, switches that turn hooks off, the environment every hook process gets
 * (`"env": {"NODE_OPTIONS": "--require ./x.cjs"}` would run code inside the hook), and
 * plugins, which register hooks of their own.
 */
const CLAUDE_GUARDED_KEYS = ['hooks', 'disableAllHooks', 'allowManagedHooksOnly', 'env', 'enabledPlugins', 'extraKnownMarketplaces'];

/**
 * Compare the guarded keys before and after. Text that is not JSON cannot be compared,
 * so it counts as a change when either side mentions the guarded words.
 */
function jsonKeysDiffer(before: string | null, after: string, keys: readonly string[], mention: RegExp): boolean {
  const a = pick(before ?? '{}', keys);
  const b = pick(after, keys);
  if (a === undefined || b === undefined) return mention.test(before ?? '') || mention.test(after);
  return a !== b;
}

function pick(text: string, keys: readonly string[]): string | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    const o = v as Record<string, unknown>;
    return canonicalJson(keys.map((k) => (k in o ? o[k] : null)));
  } catch {
    return undefined;
  }
}

/**
 * `theguard init` adds permissions.deny rules that keep Claude Code's own file tools off
 * theguard's files: a second wall. Taking one away is weakening the guard; adding rules,
 * or changing unrelated ones, is not.
 */
function dropsGuardDenyRules(before: string | null, after: string): boolean {
  const rules = (text: string | null): string[] | null => {
    try {
      const deny = (JSON.parse(text ?? '{}') as { permissions?: { deny?: unknown } }).permissions?.deny;
      return Array.isArray(deny) ? deny.filter((r): r is string => typeof r === 'string' && /theguard/i.test(r)) : [];
    } catch {
      return null;
    }
  };
  const was = rules(before);
  const now = rules(after);
  if (was === null || was.length === 0) return false;
  return now === null || was.some((r) => !now.includes(r));
}

/** A top-level YAML key's block: its line and the indented lines after it. */
function section(text: string, key: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${key}:`) || l.startsWith(`"${key}":`) || l.startsWith(`'${key}':`));
  if (start === -1) return '';
  let end = start + 1;
  while (end < lines.length && (lines[end] === '' || /^\s/.test(lines[end] as string))) end++;
  return lines.slice(start, end).join('\n');
}

function linesMatching(text: string, re: RegExp): string {
  return text
    .split('\n')
    .filter((l) => re.test(l))
    .map((l) => l.trim().toLowerCase())
    .join('\n');
}

/** Apply an Edit tool's replacement the way Claude Code does: first occurrence, or all. */
export function applyEdit(text: string, oldString: string, newString: string, replaceAll: boolean): string {
  if (oldString === '') return newString + text;
  if (replaceAll) return text.split(oldString).join(newString);
  const at = text.indexOf(oldString);
  return at === -1 ? text : text.slice(0, at) + newString + text.slice(at + oldString.length);
}
