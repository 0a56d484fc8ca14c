import { readSync } from 'node:fs';
import { errnoCode } from '../errors.js';

/**
 * Claude Code's PreToolUse protocol, as theguard speaks it. The hook reads one JSON
 * object on stdin and either stays silent (Claude Code's own permissions then decide) or
 * prints one deny and exits 0. It never answers "allow": theguard must not weaken the
 * user's other protections. Claude Code runs the tool when a hook exits 1, crashes or
 * prints something that is not JSON, so every way out of this hook is silence or a deny.
 */
export const MAX_INPUT_BYTES = 1024 * 1024;

export interface HookPayload {
  readonly toolName: string;
  readonly toolInput: Record<string, unknown>;
  readonly cwd: string;
  readonly sessionId: string | undefined;
  readonly permissionMode: string | undefined;
}

export class HookInputError extends Error {}

/** All of stdin, up to the cap. Bigger input is refused, not truncated: a cut command is another command. */
export function readStdin(fd = 0): string {
  const chunks: Buffer[] = [];
  let total = 0;
  const buf = Buffer.alloc(64 * 1024);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (err) {
      if (errnoCode(err) === 'EAGAIN') continue;
      if (errnoCode(err) === 'EOF') break;
      throw err;
    }
    if (n === 0) break;
    total += n;
    if (total > MAX_INPUT_BYTES) throw new HookInputError(`the tool call is larger than ${MAX_INPUT_BYTES} bytes`);
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The fields theguard needs, checked; anything malformed is an error the hook turns into a deny. */
export function parsePayload(text: string): HookPayload {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new HookInputError('its input was not valid JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new HookInputError('its input was not a JSON object');
  const p = v as Record<string, unknown>;
  if (p.hook_event_name !== undefined && p.hook_event_name !== 'PreToolUse') {
    throw new HookInputError(`it was registered for ${String(p.hook_event_name)}, not PreToolUse`);
  }
  if (typeof p.tool_name !== 'string' || p.tool_name === '') throw new HookInputError('the input has no tool_name');
  if (typeof p.tool_input !== 'object' || p.tool_input === null || Array.isArray(p.tool_input)) throw new HookInputError('the input has no tool_input object');
  if (typeof p.cwd !== 'string' || !p.cwd.startsWith('/')) throw new HookInputError('the input has no absolute cwd');
  return {
    toolName: p.tool_name,
    toolInput: p.tool_input as Record<string, unknown>,
    cwd: p.cwd,
    sessionId: typeof p.session_id === 'string' ? p.session_id : undefined,
    permissionMode: typeof p.permission_mode === 'string' ? p.permission_mode : undefined,
  };
}

/** Prints at most one answer, however many paths (a result, a watchdog, a crash handler) try. */
export class HookAnswer {
  private done = false;

  constructor(private readonly write: (text: string) => void) {}

  get answered(): boolean {
    return this.done;
  }

  deny(reason: string): void {
    if (this.done) return;
    this.done = true;
    this.write(`${JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason } })}\n`);
  }

  /** No output: theguard has no objection, and Claude Code's own permissions decide. */
  pass(): void {
    this.done = true;
  }
}
