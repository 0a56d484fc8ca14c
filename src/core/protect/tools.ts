import { isAbsolute, join, posix, resolve } from 'node:path';
import { realPathOrParent } from '../lib/probe.js';
import type { ReadFile } from '../shell/script-files.js';
import { escapeGlob } from '../shell/words.js';
import type { SelfContext, SelfHit } from './bash.js';
import { applyEdit, touchesGuarded } from './changes.js';
import { realPatterns } from './real-patterns.js';
import { type Hit, classifyPath, classifyPattern } from './targets.js';

/**
 * Self-protection for Claude Code's file tools and for MCP tools. Paths are resolved
 * against the call's cwd and through symlinks, so a link in the project pointing at
 * the pepper is the pepper. Writes to files holding both guarded and ordinary
 * settings are judged by the change they make.
 */
export interface ToolSelfContext extends SelfContext {
  readonly cwd: string;
  readonly readFile: ReadFile;
}

type Input = Readonly<Record<string, unknown>>;

export function toolSelfProtection(tool: string, input: Input, ctx: ToolSelfContext): SelfHit | null {
  switch (tool) {
    case 'Read':
      return readHit(input.file_path, ctx);
    case 'NotebookRead':
      return readHit(input.notebook_path, ctx);
    case 'Write':
      return writeHit(input.file_path, ctx, () => str(input.content) ?? '');
    case 'Edit':
      return writeHit(input.file_path, ctx, (before) => multiEdit(before, [input]), input.old_string);
    case 'MultiEdit':
      return writeHit(input.file_path, ctx, (before) => multiEdit(before, input.edits), firstOld(input.edits));
    case 'NotebookEdit':
      return writeHit(input.notebook_path, ctx, () => str(input.new_source) ?? '');
    case 'Glob':
      return listHit(input.path, input.pattern, ctx, false);
    case 'Grep':
      return listHit(input.path, input.glob, ctx, true);
    case 'LS':
      return listHit(input.path, undefined, ctx, false);
    default:
      return genericHit(tool, input, ctx);
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The path as the tool will use it, and where it really leads. */
function locate(value: unknown, ctx: ToolSelfContext): string[] {
  const v = str(value);
  if (v === undefined || v === '') return [];
  const expanded = v === '~' || v.startsWith('~/') ? join(ctx.home, v.slice(1)) : v;
  const lexical = posix.normalize(isAbsolute(expanded) ? expanded : resolve(ctx.cwd, expanded)).replace(/(.)\/+$/, '$1');
  const real = realPathOrParent(lexical);
  return real && real !== lexical ? [lexical, real] : [lexical];
}

function hitsOf(paths: readonly string[], ctx: ToolSelfContext): Hit[] {
  return paths.flatMap((p) => classifyPath(ctx.paths, p));
}

function readHit(value: unknown, ctx: ToolSelfContext): SelfHit | null {
  const hit = hitsOf(locate(value, ctx), ctx).find((h) => h.relation === 'inside' && h.guard === 'any');
  return hit ? { id: hit.id, why: `it would read ${hit.what} (${hit.path})` } : null;
}

/** `after` gives the file's new text, or null when theguard cannot tell what it will be. */
function writeHit(value: unknown, ctx: ToolSelfContext, after: (before: string | null) => string | null, oldText?: unknown): SelfHit | null {
  const paths = locate(value, ctx);
  for (const h of hitsOf(paths, ctx)) {
    if (h.relation !== 'inside') continue;
    if (h.guard === 'any' || !h.special) return { id: h.id, why: `it would change ${h.what} (${h.path})` };
    const read = ctx.readFile(h.path);
    const before = read.kind === 'ok' ? read.text : null;
    const next = after(before);
    if (next === null) return { id: h.id, why: `it edits ${h.what} (${h.path}) with an old_string that is not in the file exactly as written, so theguard cannot tell what Claude Code would change (it also matches text with other quote characters); copy old_string exactly from the file` };
    // Without the current file an edit can only be judged on its own text.
    const was = before ?? (typeof oldText === 'string' ? oldText : null);
    if (touchesGuarded(h.special, h.path, was, next)) return { id: h.id, why: `it would change ${h.what} (${h.path})` };
  }
  return null;
}

/**
 * Edits applied in order, as Claude Code applies them. An old_string not found exactly
 * gives null: Claude Code's Edit does not only match exactly (it also tries the text
 * with curly quotes made straight), so what it would change cannot be told here.
 */
function multiEdit(before: string | null, edits: unknown): string | null {
  let text = before ?? '';
  if (!Array.isArray(edits)) return text;
  for (const e of edits as unknown[]) {
    if (typeof e !== 'object' || e === null) continue;
    const o = e as Record<string, unknown>;
    const old = str(o.old_string) ?? '';
    if (before !== null && old !== '' && !text.includes(old)) return null;
    text = applyEdit(before === null ? old : text, old, str(o.new_string) ?? '', o.replace_all === true);
  }
  return text;
}

function firstOld(edits: unknown): string | undefined {
  if (!Array.isArray(edits)) return undefined;
  return (edits as unknown[])
    .map((e) => (typeof e === 'object' && e !== null ? str((e as Record<string, unknown>).old_string) : undefined))
    .filter((s): s is string => s !== undefined)
    .join('\n');
}

/**
 * Glob and LS list names; Grep reads contents. A base inside a guarded dir, or a
 * pattern whose literal parts lead into one, is refused; Grep is also refused from a
 * directory above the pepper or outbox (outside the project), since it would read them.
 */
function listHit(base: unknown, pattern: unknown, ctx: ToolSelfContext, readsContent: boolean): SelfHit | null {
  const bases = locate(base ?? ctx.cwd, ctx);
  const verb = readsContent ? 'search' : 'list';
  for (const h of hitsOf(bases, ctx)) {
    if (h.guard !== 'any') continue;
    if (h.relation === 'inside') return { id: h.id, why: `it would ${verb} ${h.what} (${h.path})` };
    if (readsContent && !h.path.startsWith(ctx.paths.projectRoot)) return { id: h.id, why: `it would search everything under ${h.path}, including ${h.what}` };
  }
  const p = str(pattern);
  if (p === undefined || p === '') return null;
  const root = bases[0] ?? ctx.cwd;
  const abs = p.startsWith('/') ? p : p.startsWith('~/') ? escapeGlob(ctx.home) + p.slice(1) : `${escapeGlob(root)}/${p}`;
  const hit = [abs, ...realPatterns(abs)].flatMap((q) => classifyPattern(ctx.paths, q)).find((h) => h.guard === 'any' && h.relation === 'inside');
  return hit ? { id: hit.id, why: `its pattern ${p} reaches ${hit.what}` } : null;
}

/** MCP and unknown tools: any field that looks like a path is checked. */
const PATH_KEY = /path|file|dir|directory|folder|target|source|destination|dest|cwd|location|ur[il]/i;
const READ_ONLY_TOOL = /(^|_|__)(read|get|list|search|find|view|show|stat|describe|query|fetch|head|tail|glob|grep)/i;

function genericHit(tool: string, input: Input, ctx: ToolSelfContext): SelfHit | null {
  const bare = tool.startsWith('mcp__') ? tool.slice(tool.lastIndexOf('__') + 2) : tool;
  const readsOnly = READ_ONLY_TOOL.test(bare);
  let budget = 256;
  const visit = (value: unknown, key: string, depth: number): SelfHit | null => {
    if (--budget < 0 || depth > 6) return null;
    if (typeof value === 'string') {
      if (!PATH_KEY.test(key)) return null;
      if (/^[a-z][a-z0-9+.-]*:/i.test(value) && !value.startsWith('file:')) return null;
      const path = value.startsWith('file://') ? decodeURIComponent(value.slice(7)) : value;
      for (const h of hitsOf(locate(path, ctx), ctx)) {
        if (h.relation === 'inside' && (h.guard === 'any' || !readsOnly)) return { id: h.id, why: `its ${key} points at ${h.what} (${h.path})` };
      }
      return null;
    }
    if (Array.isArray(value)) {
      for (const v of value) {
        const r = visit(v, key, depth + 1);
        if (r) return r;
      }
      return null;
    }
    if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const r = visit(v, k, depth + 1);
        if (r) return r;
      }
    }
    return null;
  };
  return visit(input, '', 0);
}
