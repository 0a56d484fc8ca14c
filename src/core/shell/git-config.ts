import { exists, isDirectory } from '../lib/probe.js';
import { statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { scanAll } from './options.js';
import { type ReadFile, readSmallFile } from './script-files.js';
import type { Word } from './syntax.js';
import { literal } from './words.js';

/**
 * Just enough of git's configuration to know what `git NAME` runs when NAME is not one
 * of git's own commands: an alias, defined in any config file git may read. The files
 * are read without spawning git (the hook cannot afford a process, and a git run in an
 * agent's repository runs the agent's configuration): system, global (XDG and
 * ~/.gitconfig, and GIT_CONFIG_GLOBAL), the repository's and the worktree's, and every
 * file they include, whatever the include's condition. Every definition found is
 * returned, not only the one git would pick: theguard judges them all (decision 0011).
 */

/** A repository: its git dir (HEAD lives here), common dir (refs, config) and work tree top (null: bare). */
export interface Repo {
  readonly gitDir: string;
  readonly commonDir: string;
  readonly top: string | null;
}

/** The repository a directory belongs to, walking up: the first `.git`, linked worktrees and submodules (`.git` files) followed. */
export function findRepo(start: string, readFile: ReadFile = readSmallFile): Repo | null {
  let dir = resolve(start);
  for (let n = 0; n < 128; n++) {
    const found = dotGitAt(dir, readFile);
    if (found !== undefined) return found;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
  return null;
}

/**
 * Every repository git may take `start` to be in: each `.git` and each bare-looking
 * directory from `start` up to the root. git stops at the first one it finds valid,
 * but what git finds valid (HEAD's content, permissions) is easy to get subtly wrong,
 * and a planted `.git` that git skips must not hide the real repository's aliases: so
 * theguard reads them all.
 */
export function reposAt(start: string, readFile: ReadFile = readSmallFile): Repo[] {
  const repos: Repo[] = [];
  let dir = resolve(start);
  for (let n = 0; n < 128; n++) {
    const found = dotGitAt(dir, readFile);
    if (found) repos.push(found);
    if (isDirectory(join(dir, 'objects')) && isDirectory(join(dir, 'refs')) && exists(join(dir, 'HEAD'))) repos.push({ gitDir: dir, commonDir: commonDirOf(dir, readFile), top: null });
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return repos;
}

/** `dir/.git`: a directory, or a `gitdir:` file; undefined when there is none, null when it is something else. */
function dotGitAt(dir: string, readFile: ReadFile): Repo | null | undefined {
  const dotGit = join(dir, '.git');
  let st;
  try {
    st = statSync(dotGit);
  } catch {
    return undefined;
  }
  if (st.isDirectory()) return { gitDir: dotGit, commonDir: commonDirOf(dotGit, readFile), top: dir };
  if (!st.isFile()) return null;
  const pointer = small(readFile, dotGit);
  const m = pointer ? /^gitdir: (.+)$/m.exec(pointer) : null;
  if (!m) return null;
  const target = (m[1] as string).trim();
  const gitDir = isAbsolute(target) ? target : resolve(dir, target);
  return { gitDir, commonDir: commonDirOf(gitDir, readFile), top: dir };
}

/** A linked worktree's git dir keeps HEAD; its refs and config live in the common dir it names. */
function commonDirOf(gitDir: string, readFile: ReadFile): string {
  const pointer = small(readFile, join(gitDir, 'commondir'));
  if (!pointer) return gitDir;
  const target = pointer.trim();
  return isAbsolute(target) ? target : resolve(gitDir, target);
}

/** Non-blocking and size-capped: a FIFO planted in .git must not stall the hook. */
function small(readFile: ReadFile, path: string): string | null {
  const read = readFile(path);
  return read.kind === 'ok' && read.text.length <= 4096 ? read.text : null;
}

/**
 * Where git looks for its configuration outside a repository. Values from the
 * environment (GIT_CONFIG_GLOBAL, GIT_CONFIG_SYSTEM) are read in addition to the
 * default files, never instead: the Bash tool's shell may not have the hook's
 * environment (a profile can export them), and reading one file too many only adds
 * definitions to judge.
 */
export interface ConfigPlaces {
  readonly home: string;
  readonly xdgConfigHome?: string | undefined;
  readonly global?: string | undefined;
  readonly system?: string | undefined;
}

/**
 * The system config is `$(prefix)/etc/gitconfig`, and the prefix is git's build-time
 * choice: the distributions' one, Homebrew's (Intel and Apple silicon), and Apple's
 * command line tools and Xcode (whose git also reads a gitconfig of its own).
 */
const SYSTEM_CONFIGS = [
  '/etc/gitconfig', '/usr/local/etc/gitconfig', '/opt/homebrew/etc/gitconfig',
  '/Library/Developer/CommandLineTools/usr/share/git-core/gitconfig', '/Applications/Xcode.app/Contents/Developer/usr/share/git-core/gitconfig',
];

/** The config files git may read for these repositories: system, global (XDG and ~/.gitconfig), each repository's and worktree's. */
export function configFiles(repos: readonly Repo[], places: readonly ConfigPlaces[]): string[] {
  const files = [...SYSTEM_CONFIGS];
  for (const p of places) {
    if (p.system) files.push(p.system);
    files.push(join(p.xdgConfigHome || join(p.home, '.config'), 'git', 'config'), join(p.home, '.gitconfig'));
    if (p.global) files.push(p.global);
  }
  for (const r of repos) files.push(join(r.commonDir, 'config'), join(r.gitDir, 'config.worktree'));
  return [...new Set(files.map((f) => resolve(f)))];
}

export interface AliasLookup {
  /** Every value defined for the alias, in the order read. */
  readonly values: readonly string[];
  /** Why what some file defines is unknown (it cannot be read, it is written earlier in the line), or null. */
  readonly unknown: string | null;
}

export interface AliasSources {
  readonly home: string;
  readonly readFile: ReadFile;
  /** Files the same command line writes before git runs: their content then is not what theguard can read now. */
  readonly written: (path: string) => boolean;
}

const MAX_INCLUDE_DEPTH = 10;
const MAX_FILES = 64;

/**
 * Every definition of `alias.NAME` in these files and the files they include, whatever
 * the include's condition (names compare case-insensitively, as git's alias lookup does;
 * `[alias "a"] b` defines `a.b`).
 */
export function aliasValues(name: string, files: readonly string[], o: AliasSources): AliasLookup {
  const values: string[] = [];
  let unknown: string | null = null;
  let read = 0;
  const wanted = name.toLowerCase();
  const visit = (file: string, depth: number): void => {
    if (unknown !== null || file === '/dev/null') return;
    if (depth > MAX_INCLUDE_DEPTH || ++read > MAX_FILES) {
      unknown = `its configuration includes more files than theguard reads (at ${file})`;
      return;
    }
    if (o.written(file)) {
      unknown = `${file} is written earlier in the same command`;
      return;
    }
    const got = o.readFile(file);
    if (got.kind === 'missing') return;
    if (got.kind === 'unreadable') {
      unknown = `${file} cannot be read (${got.why})`;
      return;
    }
    for (const e of parseGitConfig(got.text)) {
      if (e.key.startsWith('alias.') && e.key.slice(6).toLowerCase() === wanted) values.push(e.value ?? '');
      else if (/^include(if\..*)?\.path$/.test(e.key) && e.value) visit(includePath(e.value, file, o.home), depth + 1);
      // A repository `git init` or `git clone` makes copies the template's config.
      else if (e.key === 'init.templatedir' && e.value) visit(join(includePath(e.value, file, o.home), 'config'), depth + 1);
    }
  };
  for (const f of files) visit(f, 0);
  return { values, unknown };
}

/** `~/x` is in the home directory; a relative path is relative to the including file's directory. */
function includePath(value: string, from: string, home: string): string {
  if (value === '~' || value.startsWith('~/')) return join(home, value.slice(2));
  return isAbsolute(value) ? value : join(dirname(from), value);
}

export interface ConfigEntry {
  /** `section.subsection.name`, section and name lowercased (git compares them so); null value for a bare `name`. */
  readonly key: string;
  readonly value: string | null;
}

/**
 * git's config syntax: `[section]`, `[section "sub"]`, `[section.sub]`, `name = value`
 * with quotes, escapes (`\n`, `\t`, `\"`, `\\`), comments (`#`, `;`) and backslash line
 * continuations. The alias name is kept in its case, then compared lowercased.
 */
export function parseGitConfig(text: string): ConfigEntry[] {
  const out: ConfigEntry[] = [];
  let section = '';
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = (lines[i] as string).trimStart();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      const m = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:\\.|[^"\\])*)")?\s*\]/.exec(line);
      if (!m) continue;
      const [name, ...dotted] = (m[1] as string).split('.');
      const sub = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : dotted.join('.').toLowerCase();
      section = `${(name as string).toLowerCase()}${sub ? `.${sub}` : ''}`;
      line = line.slice(m[0].length).trimStart();
      if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    }
    const m = /^([A-Za-z][A-Za-z0-9-]*)\s*(=?)/.exec(line);
    if (!m) continue;
    if (m[2] !== '=') {
      out.push({ key: `${section}.${(m[1] as string).toLowerCase()}`, value: null });
      continue;
    }
    let raw = line.slice(m[0].length);
    // A backslash at the end of a line continues the value on the next.
    while (/(^|[^\\])(\\\\)*\\$/.test(raw) && i + 1 < lines.length) raw = raw.slice(0, -1) + (lines[++i] as string);
    out.push({ key: `${section}.${(m[1] as string).toLowerCase()}`, value: configValue(raw) });
  }
  return out;
}

function configValue(raw: string): string {
  let out = '';
  let quoted = false;
  let pendingSpace = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (!quoted && (c === '#' || c === ';')) break;
    if (!quoted && (c === ' ' || c === '\t')) {
      if (out !== '') pendingSpace += c;
      continue;
    }
    out += pendingSpace;
    pendingSpace = '';
    if (c === '"') quoted = !quoted;
    else if (c === '\\' && i + 1 < raw.length) {
      const e = raw[++i] as string;
      out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'b' ? '\b' : e;
    } else out += c;
  }
  return out;
}

/**
 * A `git config` that sets a value: `git config [--global|-f F] [set] KEY VALUE` (args
 * after `config`). Key lowercased, null when only known at run time; null for reads,
 * unsets, edits and listings.
 */
export function configWrite(args: readonly Word[]): { key: string | null; value: Word } | null {
  const scan = scanAll(args, 0, { short: 'f', long: ['file', 'blob', 'type', 'default', 'comment', 'value'] });
  const ops = scan.operands;
  const keyed = ops[0] && literal(ops[0]) === 'set' ? ops.slice(1) : ops;
  if (keyed.length < 2 || [...scan.flags].some((f) => /^(get.*|list|l|unset.*|remove-section|rename-section|e|edit|show-.*|name-only)$/.test(f))) return null;
  return { key: literal(keyed[0] as Word)?.toLowerCase() ?? null, value: keyed[1] as Word };
}
