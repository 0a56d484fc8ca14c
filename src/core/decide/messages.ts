import { oneLine } from './text.js';

/**
 * The sentences an agent relays. They name the rule, say why, and never contain a code
 * or anything derived from one: the hook adds where the code went.
 */
export function verifyMessage(summary: string, reason: string, ruleIds: readonly string[]): string {
  return `This \`${summary}\` needs human approval: ${reason} (rule ${ruleIds.join(', ')}).`;
}

export function blockMessage(what: string, reason: string, ruleIds: readonly string[], alternative?: string): string {
  const alt = alternative ? ` ${alternative}` : '';
  return `theguard blocks this ${what}: ${reason} (rule ${ruleIds.join(', ')}).${alt}`;
}

export const SELF_PROTECTION_ADVICE =
  'theguard protects its own files, hooks and approval commands; no code unlocks this. If it is really needed, ask the human to do it in their own terminal.';

export const UNANALYSABLE_ADVICE =
  'theguard denies what it cannot check. Run the commands directly, one plain command at a time, so each can be checked.';

/** A command shown inside a sentence: one line, bounded. */
export function shown(command: string, max = 120): string {
  return oneLine(command, max).replace(/`/g, "'");
}
