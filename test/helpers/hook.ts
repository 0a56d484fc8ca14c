import { join } from 'node:path';
import { ROOT, type RunResult, type Sandbox, run } from './sandbox.js';

export const HOOK = join(ROOT, 'dist/hooks/pre-tool-use.cjs');

export interface HookResult extends RunResult {
  /** The deny reason, or null when the hook stayed silent. */
  readonly denied: string | null;
}

/** Run the PreToolUse hook the way Claude Code does: one JSON call on stdin. */
export async function callHook(
  sb: Sandbox,
  tool: string,
  input: Record<string, unknown>,
  opts: { cwd?: string; session?: string; env?: NodeJS.ProcessEnv; raw?: string } = {},
): Promise<HookResult> {
  const cwd = opts.cwd ?? sb.repo;
  const payload =
    opts.raw ??
    JSON.stringify({
      session_id: opts.session ?? 'session-1',
      transcript_path: join(sb.env.HOME as string, '.claude/projects/x/session-1.jsonl'),
      cwd,
      permission_mode: 'default',
      hook_event_name: 'PreToolUse',
      tool_name: tool,
      tool_input: input,
      tool_use_id: 'toolu_test',
    });
  const res = await run(process.execPath, [HOOK], { cwd, env: { ...sb.env, CLAUDE_PROJECT_DIR: sb.repo, ...opts.env }, input: payload });
  return { ...res, denied: parseDeny(res.stdout) };
}

/** The deny reason in a hook's stdout; throws if stdout is anything but silence or one valid deny. */
export function parseDeny(stdout: string): string | null {
  if (stdout === '') return null;
  const lines = stdout.trimEnd().split('\n');
  if (lines.length !== 1) throw new Error(`the hook printed ${lines.length} lines: ${stdout}`);
  const out = JSON.parse(lines[0] as string) as { hookSpecificOutput?: { hookEventName?: string; permissionDecision?: string; permissionDecisionReason?: string } };
  const h = out.hookSpecificOutput;
  if (h?.hookEventName !== 'PreToolUse' || h.permissionDecision !== 'deny' || typeof h.permissionDecisionReason !== 'string') {
    throw new Error(`the hook printed something other than a deny: ${stdout}`);
  }
  return h.permissionDecisionReason;
}
