import type { Rule } from '../config.js';
import type { Invocation } from '../shell/invocation.js';
import { wildcard } from '../shell/glob.js';
import { commandName } from '../shell/command-name.js';
import { npmCommand } from '../shell/npm-commands.js';
import { argvTexts } from '../rules/positionals.js';

/**
 * The config's `rules`: `{ tool: GLOB }` against the tool name, `{ command: "npm publish" }`
 * against each analysed command (wrappers already peeled, so `sudo npm publish` and
 * `bash -c 'npm publish'` match). Ids are the rule's place in the config: "rules[3]".
 */
export interface UserRuleHit {
  readonly id: string;
  readonly rule: Rule;
}

export function toolRuleHits(tool: string, rules: readonly Rule[]): UserRuleHit[] {
  const hits: UserRuleHit[] = [];
  rules.forEach((rule, i) => {
    if (rule.tool !== undefined && wildcard(rule.tool, tool)) hits.push({ id: `rules[${i}]`, rule });
  });
  return hits;
}

export function commandRuleHits(inv: Invocation, rules: readonly Rule[]): UserRuleHit[] {
  const hits: UserRuleHit[] = [];
  rules.forEach((rule, i) => {
    if (rule.command !== undefined && commandMatches(rule.command, inv)) hits.push({ id: `rules[${i}]`, rule });
  });
  return hits;
}

/**
 * The rule's first word names the command (by basename: `/usr/bin/npm` is npm). The
 * rest must follow in order; options in between are skipped, and so is one word after
 * an option without `=` (it may be the option's value: `npm --registry X publish`).
 * Any other word breaks the match, so `git commit -m push` is not `git push`.
 * Rule words may use `*`. A word only known at run time matches anything.
 */
export function commandMatches(ruleText: string, inv: Invocation): boolean {
  const want = ruleText.trim().split(/\s+/);
  const head = want[0];
  if (!head || inv.name === null || inv.name === '' || !wildcard(commandName(head), inv.name)) return false;
  // npm runs `npm publis` as publish and `npm rm` as uninstall: both sides use the full name.
  const texts = argvTexts(inv);
  if (inv.name === 'npm') expandNpmRuleWord(want);
  let j = 1;
  let mayBeValue = false;
  for (let i = 1; i < inv.argv.length && j < want.length; i++) {
    const t = texts[i] ?? null;
    if (t === null || wildcard(want[j] as string, t)) {
      j++;
      mayBeValue = false;
      continue;
    }
    if (t.startsWith('-') && !(want[j] as string).startsWith('-')) {
      mayBeValue = !t.includes('=');
      continue;
    }
    if (mayBeValue) {
      mayBeValue = false;
      continue;
    }
    return false;
  }
  return j === want.length;
}

/** The rule's npm command word (its first word after `npm` that is not an option), as npm would run it. */
function expandNpmRuleWord(want: string[]): void {
  const k = want.findIndex((w, i) => i > 0 && !w.startsWith('-'));
  const word = want[k];
  if (word === undefined || /[*?[]/.test(word)) return;
  want[k] = npmCommand(word) ?? word;
}
