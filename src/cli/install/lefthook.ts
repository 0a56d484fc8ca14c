import { GuardError } from '../../core/errors.js';
import { LEFTHOOK_JOB, lefthookJobKeys as jobKeys } from '../../core/git/hook-entries.js';
import { BEGIN, END, removeBlock } from './marked-block.js';

/**
 * The lefthook.yml entry. The file is edited as text, so comments and layout survive;
 * only the marked lines are theguard's. lefthook runs jobs without a terminal, so the
 * one-step prompt does not appear there: the hook prints what to do and the human runs
 * `theguard verify`. What each part is for (all tested with the real lefthook binary):
 *
 * - Chaining. lefthook runs every pre-push job, and a failing one does not stop the
 *   others, so theguard would send a code (and use up an approval) for a push that then
 *   fails. `piped: true` on the hook makes lefthook run the jobs one by one and stop at
 *   the first failure; theguard's job is placed to run last: lefthook runs the `jobs`
 *   list in order, then `commands` by priority and then name (no priority = last), then
 *   `scripts`. Hence the name, which sorts after the usual command names.
 * - Git's arguments. lefthook pastes `{1}` and `{2}` into a `sh -c` string unquoted, so a
 *   remote URL holding `;`, `|` or `$(...)` would run as shell code, and could make the
 *   job succeed without theguard. They go into a quoted here-document instead, where
 *   the shell expands nothing, and `exec` replaces the shell before anything after it
 *   could run. theguard reads them from fd 3 and refuses anything but three lines.
 * - The anchor file. lefthook skips a pre-push job when the push changes no files
 *   between HEAD and its upstream ("no matching push files"): a force push of an older
 *   commit, or a delete, while HEAD is up to date. A job whose `{files}` template has
 *   files is never skipped that way; `files:` names the configuration file itself,
 *   which is there whenever lefthook reads this entry.
 */
export { LEFTHOOK_JOB };

export interface LefthookEdit {
  readonly text: string;
  /** What the human should know about how lefthook will run theguard here. */
  readonly notes: readonly string[];
}

const commandJob = (indent: string, unit: string, name: string): string[] =>
  [`${indent}${LEFTHOOK_JOB}:`, ...jobKeys(unit, name).map((l) => `${indent}${unit}${l}`)];
const listJob = (indent: string, unit: string, name: string): string[] =>
  [`${indent}- name: ${LEFTHOOK_JOB}`, ...jobKeys(unit, name).map((l) => `${indent}  ${l}`)];
const marked = (indent: string, inner: string[]): string[] => [`${indent}${BEGIN}`, ...inner, `${indent}${END}`];

/** `content` with theguard's entry (and `piped: true` when needed); `configName` is the file's own name. */
export function addLefthookEntry(content: string | null, configName: string): LefthookEdit {
  const text = content === null ? '' : (removeBlock(content) ?? content);
  const lines = text.split('\n');
  const top = lines.findIndex((l) => /^pre-push:\s*(#.*)?$/.test(l));
  if (top < 0) {
    if (/^["']?pre-push["']?\s*:/m.test(text)) throw unsupported('its pre-push entry is not a plain block mapping', configName);
    // No blank line before the block: removing the block then gives back the file exactly.
    const sep = text === '' || text.endsWith('\n') ? '' : '\n';
    const block = [BEGIN, 'pre-push:', '  piped: true', '  commands:', ...commandJob('    ', '  ', configName), END];
    return { text: `${text}${sep}${block.join('\n')}\n`, notes: [PIPED_NOTE] };
  }
  let end = top + 1;
  while (end < lines.length && (lines[end] === '' || /^[\s#]/.test(lines[end] as string))) end++;
  while (end > top + 1 && (lines[end - 1] as string).trim() === '') end--;
  const body = lines.slice(top + 1, end);
  const child = firstContent(body)?.match(/^(\s+)/)?.[1] ?? '  ';
  if (child.includes('\t')) throw unsupported('it is indented with tabs', configName);
  const setting = (name: string): string | null => {
    const m = body.map((l) => l.match(new RegExp(`^${child}${name}:\\s*(.*?)\\s*(#.*)?$`))).find(Boolean);
    return m ? (m[1] as string) : null;
  };
  const at = (name: string) => body.findIndex((l) => new RegExp(`^${child}${name}:\\s*(#.*)?$`).test(l));
  const notes: string[] = [];
  const commands = at('commands');
  const jobs = at('jobs');
  if (commands >= 0) {
    const inner = firstContent(body.slice(commands + 1))?.match(/^(\s+)/)?.[1] ?? '';
    const indent = inner.length > child.length ? inner : `${child}${child}`;
    const later = commandsAfterOurs(body.slice(commands + 1), indent, child);
    if (later.length > 0) notes.push(orderNote(later));
    lines.splice(top + 2 + commands, 0, ...marked(indent, commandJob(indent, child, configName)));
  } else if (jobs >= 0) {
    // lefthook 2's list form: theguard goes last in the list.
    const { last, indent } = listEnd(body, jobs, child);
    lines.splice(top + 2 + last, 0, ...marked(indent, listJob(indent, child, configName)));
  } else {
    if (body.some((l) => new RegExp(`^${child}(jobs|commands)\\s*:`).test(l))) throw unsupported('its pre-push entry uses a form theguard does not edit', configName);
    lines.splice(top + 1 + body.length, 0, ...marked(child, [`${child}commands:`, ...commandJob(`${child}${child}`, child, configName)]));
  }
  if (setting('scripts') !== null) notes.push(SCRIPTS_NOTE);
  const filters = ['skip', 'only', 'exclude'].filter((k) => setting(k) !== null);
  if (filters.length > 0) notes.push(filtersNote(filters));
  const parallel = setting('parallel') === 'true';
  const piped = setting('piped');
  if (parallel) notes.push(unchainedNote('`parallel: true`', 'replace `parallel: true` with `piped: true` under pre-push (the jobs then run one after another)'));
  else if (piped !== null && piped !== 'true') notes.push(unchainedNote(`\`piped: ${piped}\``, 'set `piped: true` under pre-push'));
  else if (piped === null) {
    lines.splice(top + 1, 0, ...marked(child, [`${child}piped: true`]));
    notes.push(PIPED_NOTE);
  }
  return { text: lines.join('\n'), notes };
}

const PIPED_NOTE = 'note: theguard set `piped: true` on lefthook\'s pre-push hook: its jobs now run one after another and stop at the first failure, and theguard runs last, so a failing job stops the push before a code is sent (`theguard uninstall` takes it out)';
const SCRIPTS_NOTE = 'WARNING: lefthook runs pre-push `scripts` after every command, so they run after theguard: when one fails, the code was already sent and the approval used up. Turn them into commands to have them run first.';

function unchainedNote(what: string, fix: string): string {
  return `WARNING: lefthook's pre-push hook has ${what}, so theguard runs alongside your other pre-push jobs, not after them: when one of them fails, a code is still sent (and an approval is used up by a push that then fails). To chain them, ${fix} and run \`theguard init\` again.`;
}

function orderNote(names: string[]): string {
  return `WARNING: these pre-push commands sort after ${LEFTHOOK_JOB} and so run after theguard: ${names.join(', ')}. lefthook orders commands by priority, then name; give them a \`priority\` (any number runs before theguard), or rename them, to have them run first.`;
}

function filtersNote(keys: string[]): string {
  return `WARNING: lefthook's pre-push hook has ${keys.map((k) => `\`${k}\``).join(', ')}, which can make lefthook skip every pre-push job, theguard's included (an \`exclude\` that matches the configuration file's own name skips it too). Check that none of them ever skips ${LEFTHOOK_JOB}.`;
}

/**
 * The commands (map keys at `indent`) lefthook would run after ours: those without a
 * priority whose name sorts later. lefthook puts names with a leading number first,
 * then compares the rest bytewise.
 */
function commandsAfterOurs(rest: readonly string[], indent: string, child: string): string[] {
  const out: string[] = [];
  let current: { name: string; priority: boolean } | null = null;
  const flush = (): void => {
    if (current && !current.priority && !/^\d/.test(current.name) && Buffer.compare(Buffer.from(LEFTHOOK_JOB), Buffer.from(current.name)) < 0) out.push(current.name);
  };
  for (const l of rest) {
    if (l.trim() === '' || l.trim().startsWith('#')) continue;
    const depth = (l.match(/^(\s*)/)?.[1] ?? '').length;
    if (depth <= child.length) break;
    if (depth === indent.length) {
      flush();
      const m = l.match(/^\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"][^:#]*?))\s*:(\s|$)/);
      current = m ? { name: (m[1] ?? m[2] ?? m[3]) as string, priority: false } : null;
    } else if (current && /^\s+priority:\s*[1-9]\d*\s*(#.*)?$/.test(l)) current.priority = true;
  }
  flush();
  return out;
}

/** Where lefthook 2's `jobs:` list ends (body index of its last line) and the indentation of its items. */
function listEnd(body: readonly string[], jobs: number, child: string): { last: number; indent: string } {
  let last = jobs;
  let indent: string | null = null;
  for (let i = jobs + 1; i < body.length; i++) {
    const l = body[i] as string;
    if (l.trim() === '' || l.trim().startsWith('#')) continue;
    const lead = l.match(/^(\s*)/)?.[1] ?? '';
    const item = l.trimStart().startsWith('-');
    if (lead.length > child.length || (lead.length === child.length && item)) {
      if (item && indent === null) indent = lead;
      last = i;
    } else break;
  }
  return { last, indent: indent ?? `${child}${child}` };
}

function firstContent(lines: readonly string[]): string | undefined {
  return lines.find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
}

function unsupported(why: string, configName: string): GuardError {
  const entry = [`pre-push:`, '  piped: true', '  commands:', ...commandJob('    ', '  ', configName)].map((l) => `  ${l}`).join('\n');
  return new GuardError('usage', `theguard cannot add its entry to the lefthook configuration: ${why}`,
    `add this to it by hand (docs/git.md explains each line):\n${entry}`);
}
