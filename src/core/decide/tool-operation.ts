import { resolve } from 'node:path';
import type { Tier } from '../config.js';
import { type Json, canonicalJson } from '../lib/canonical-json.js';
import type { Operation } from '../operation.js';
import { oneLine } from './text.js';

/**
 * What an approval of a tool call binds: the tool name, its input without cosmetic
 * fields, and the working directory. Approving a refund of 10 to cus_1 does not
 * approve 1000 to cus_2, nor the same command in another directory.
 *
 * Cosmetic fields change how Claude Code shows or waits for a call, not what it does:
 * Bash's `description` (a caption), `timeout` (how long to wait) and
 * `run_in_background` (whether to wait). Everything else counts, including fields
 * theguard does not know, such as Bash's `dangerouslyDisableSandbox`.
 */
export const COSMETIC_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Bash: ['description', 'timeout', 'run_in_background'],
};

export interface ToolCallParams {
  readonly [key: string]: Json;
  readonly tool: string;
  readonly input: Json;
  readonly cwd: string;
}

export function toolCallParams(toolName: string, toolInput: unknown, cwd: string): ToolCallParams {
  const cosmetic = new Set(COSMETIC_FIELDS[toolName] ?? []);
  const input: Record<string, Json> = {};
  if (typeof toolInput === 'object' && toolInput !== null && !Array.isArray(toolInput)) {
    for (const [k, v] of Object.entries(toolInput)) if (!cosmetic.has(k) && v !== undefined) input[k] = v as Json;
  }
  return { tool: toolName, input, cwd: resolve(cwd) };
}

/**
 * The files theguard read to judge a call (scripts it runs, SQL it feeds, package.json
 * scripts, git configuration), each as the SHA-256 of its content, or "missing" or
 * "unreadable". Bound into the approval: a script edited after the human approved the
 * call that runs it makes a different operation, which needs its own code.
 */
export type FileDigests = Readonly<Record<string, string>>;

/**
 * The operation the human approves for a gated tool call. The summary is derived from
 * the call alone (never from rule text), so the same call always has the same
 * fingerprint; the email shows `params` in full. Fingerprint it with fingerprintOf
 * (operation.ts) or toolFingerprint (fingerprint.ts), which load node:crypto.
 */
export function toolOperation(toolName: string, toolInput: unknown, cwd: string, tier: Tier, reads?: FileDigests): Operation {
  const call = toolCallParams(toolName, toolInput, cwd);
  const params: ToolCallParams = reads && Object.keys(reads).length > 0 ? { ...call, reads } : call;
  const input = params.input as Record<string, Json>;
  const summary = toolName === 'Bash' && typeof input.command === 'string' ? `$ ${oneLine(input.command, 200)}` : `${toolName} ${oneLine(canonicalJson(input), 200)}`;
  return { tier, action: toolName === 'Bash' ? 'tool.bash' : toolName.startsWith('mcp__') ? 'tool.mcp' : 'tool', summary, params };
}
