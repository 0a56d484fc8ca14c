import { GuardError } from '../../core/errors.js';
import { LEFTHOOK_RUN } from '../../core/git/hook-entries.js';
import { BEGIN, END, removeBlock } from './marked-block.js';

/**
 * The lefthook.yml entry: a `theguard` command under `pre-push`, fed git's refs on
 * stdin (`use_stdin`) and git's two arguments ({1} {2}). The file is edited as text,
 * so comments and layout survive; only the marked lines are theguard's. Lefthook runs
 * commands without a terminal, so the one-step prompt does not appear there: the hook
 * prints what to do and the human runs `theguard verify`.
 */
const RUN = LEFTHOOK_RUN;

/** The command's own lines, indented under its parent key. */
function commandLines(indent: string, unit: string): string[] {
  return [`${indent}${BEGIN}`, `${indent}theguard:`, `${indent}${unit}run: ${RUN}`, `${indent}${unit}use_stdin: true`, `${indent}${END}`];
}

export function addLefthookEntry(content: string | null): string {
  const text = content === null ? '' : (removeBlock(content) ?? content);
  const lines = text.split('\n');
  const top = lines.findIndex((l) => /^pre-push:\s*(#.*)?$/.test(l));
  if (top < 0) {
    if (/^["']?pre-push["']?\s*:/m.test(text)) throw unsupported('its pre-push entry is not a plain block mapping');
    // No blank line before the block: removing the block then gives back the file exactly.
    const sep = text === '' || text.endsWith('\n') ? '' : '\n';
    return `${text}${sep}${[BEGIN, 'pre-push:', '  commands:', ...commandLines('    ', '  ').slice(1, -1), END].join('\n')}\n`;
  }
  let end = top + 1;
  while (end < lines.length && (lines[end] === '' || /^[\s#]/.test(lines[end] as string))) end++;
  while (end > top + 1 && (lines[end - 1] as string).trim() === '') end--;
  const body = lines.slice(top + 1, end);
  const child = firstContent(body)?.match(/^(\s+)/)?.[1] ?? '  ';
  if (child.includes('\t')) throw unsupported('it is indented with tabs');
  const key = (name: string) => body.findIndex((l) => new RegExp(`^${child}${name}:\\s*(#.*)?$`).test(l));
  const commands = key('commands');
  if (commands >= 0) {
    const inner = firstContent(body.slice(commands + 1))?.match(/^(\s+)/)?.[1] ?? '';
    const indent = inner.length > child.length ? inner : `${child}${child}`;
    lines.splice(top + 2 + commands, 0, ...commandLines(indent, child));
    return lines.join('\n');
  }
  const jobs = key('jobs');
  if (jobs >= 0) {
    // lefthook 2's list form: "- name: theguard" items.
    const next = firstContent(body.slice(jobs + 1));
    const indent = next?.trimStart().startsWith('-') ? (next.match(/^(\s*)/)?.[1] ?? child) : `${child}${child}`;
    lines.splice(top + 2 + jobs, 0, `${indent}${BEGIN}`, `${indent}- name: theguard`, `${indent}  run: ${RUN}`, `${indent}  use_stdin: true`, `${indent}${END}`);
    return lines.join('\n');
  }
  if (body.some((l) => new RegExp(`^${child}(jobs|commands)\\s*:`).test(l))) throw unsupported('its pre-push entry uses a form theguard does not edit');
  lines.splice(top + 1 + body.length, 0, `${child}${BEGIN}`, `${child}commands:`, ...commandLines(`${child}${child}`, child).slice(1, -1), `${child}${END}`);
  return lines.join('\n');
}

function firstContent(lines: readonly string[]): string | undefined {
  return lines.find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
}

function unsupported(why: string): GuardError {
  return new GuardError('usage', `theguard cannot add its entry to the lefthook configuration: ${why}`,
    `add this under pre-push → commands by hand (docs/git.md):\n  theguard:\n    run: ${RUN}\n    use_stdin: true`);
}
