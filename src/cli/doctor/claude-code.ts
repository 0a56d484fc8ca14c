import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { findProjectRoot } from '../../core/lib/project.js';
import { executable } from '../../core/git/pre-push-installed.js';
import { CLAUDE_HOOK_TIMEOUT_SECONDS, isOurHook, matchesAllTools } from '../install/claude-code.js';
import type { Check, CheckResult } from './check.js';

/**
 * The Claude Code hook: registered, its command resolvable, and actually answering. A
 * hook whose script is missing is silently skipped by Claude Code (unless onFailure is
 * "block"), so doctor runs it: a plain call must stay silent, a call on theguard's own
 * files must be denied. It also looks for `disableAllHooks`, which turns every hook off.
 */
type Settings = { hooks?: { PreToolUse?: { matcher?: string; hooks?: Record<string, unknown>[] }[] }; disableAllHooks?: unknown };

const REINIT = 'run `theguard init` again';

export const claudeCodeCheck: Check = {
  name: 'claude-code',
  async run({ cwd, guard }) {
    const root = findProjectRoot(cwd);
    const home = process.env.HOME && isAbsolute(process.env.HOME) ? process.env.HOME : homedir();
    const files = [join(root, '.claude', 'settings.json'), join(root, '.claude', 'settings.local.json'), join(home, '.claude', 'settings.json')];
    const out: CheckResult[] = [];
    const found: { file: string; hook: Record<string, unknown>; matcher: unknown }[] = [];
    for (const file of files) {
      const s = readSettings(file, out);
      if (!s) continue;
      if (s.disableAllHooks === true) {
        out.push({ status: 'fail', title: `Claude Code: ${file} sets "disableAllHooks": true, so theguard's hook never runs`, fix: `remove disableAllHooks from ${file}` });
      }
      for (const entry of s.hooks?.PreToolUse ?? []) for (const h of entry.hooks ?? []) if (isOurHook(h as never)) found.push({ file, hook: h, matcher: entry.matcher });
    }
    if (found.length === 0) {
      out.push({ status: 'warn', title: 'Claude Code hook: not registered; agent tool calls are not guarded', fix: 'run `theguard init`' });
      return out;
    }
    for (const { file, hook, matcher } of found) {
      out.push(...judge(file, hook, root, guard.config.stateDir, guard.config.email.timeoutSeconds));
      if (!matchesAllTools(matcher)) {
        out.push({ status: 'warn', title: `Claude Code hook in ${file} runs only for tools matching "${String(matcher)}": rules on other tools are not enforced and other tools are not checked`, fix: `${REINIT} (it registers the hook for every tool, "*")` });
      }
    }
    return out;
  },
};

function readSettings(file: string, out: CheckResult[]): Settings | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    return JSON.parse(text) as Settings;
  } catch (err) {
    out.push({ status: 'fail', title: `Claude Code: ${file} is not valid JSON, so Claude Code ignores it`, detail: (err as Error).message, fix: 'fix the JSON' });
    return null;
  }
}

function judge(file: string, hook: Record<string, unknown>, root: string, stateDir: string, deliverySeconds: number): CheckResult[] {
  const command = String(hook.command);
  const words = [...command.matchAll(/'((?:[^']|'\\'')*)'/g)].map((m) => (m[1] as string).replace(/'\\''/g, "'"));
  const [node, script] = words;
  if (!node || !script) return [{ status: 'fail', title: `Claude Code hook in ${file}: its command was edited and no longer names node and the hook script`, fix: REINIT }];
  if (!executable(node)) return [{ status: 'fail', title: `Claude Code hook: node is gone from ${node}; Claude Code would skip the hook`, fix: `${REINIT} with the node you use now` }];
  if (!readable(script)) return [{ status: 'fail', title: `Claude Code hook: ${script} is missing; Claude Code would skip the hook`, fix: `${REINIT}; if theguard moved, reinstall it first` }];
  const out: CheckResult[] = [];
  if (hook.onFailure !== 'block') {
    out.push({ status: 'warn', title: `Claude Code hook in ${file} has no "onFailure": "block": if the hook crashed or timed out, Claude Code would run the tool`, fix: REINIT });
  }
  const timeout = typeof hook.timeout === 'number' ? hook.timeout : 60;
  if (timeout < deliverySeconds + 20) {
    out.push({ status: 'warn', title: `Claude Code hook timeout is ${timeout} s, too close to the email time budget (${deliverySeconds} s)`, fix: `${REINIT} (it registers ${CLAUDE_HOOK_TIMEOUT_SECONDS} s)` });
  }
  const plain = run(node, script, root, { tool_name: 'Bash', tool_input: { command: 'true' } });
  if (plain.status !== 0 || plain.stdout.trim() !== '') {
    return [...out, { status: 'fail', title: 'Claude Code hook does not answer a plain call correctly', detail: (plain.stdout || plain.stderr).slice(0, 1000), fix: `${REINIT}; then \`theguard doctor\` again` }];
  }
  const guarded = run(node, script, root, { tool_name: 'Read', tool_input: { file_path: join(stateDir, 'audit.jsonl') } });
  if (guarded.status !== 0 || !/"permissionDecision":"deny"/.test(guarded.stdout)) {
    return [...out, { status: 'fail', title: 'Claude Code hook did not deny a read of theguard\'s state dir', detail: (guarded.stdout || guarded.stderr).slice(0, 1000), fix: REINIT }];
  }
  return [{ status: 'ok', title: `Claude Code hook: registered in ${file}; it runs, stays silent on a plain call and denies access to theguard's files` }, ...out];
}

function run(node: string, script: string, cwd: string, call: Record<string, unknown>) {
  const payload = JSON.stringify({ hook_event_name: 'PreToolUse', session_id: 'theguard-doctor', cwd, ...call });
  const res = spawnSync(node, [script], { cwd, input: payload, encoding: 'utf8', timeout: 30_000 });
  return { status: res.status, stdout: res.stdout ?? '', stderr: res.stderr ?? res.error?.message ?? '' };
}

function readable(p: string): boolean {
  try {
    accessSync(p, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
