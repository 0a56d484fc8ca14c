import type { Tier } from '../config.js';
import { fingerprintOf } from '../operation.js';
import { toolOperation } from './tool-operation.js';

/**
 * The fingerprint of a gated tool call (SHA-256 over its operation's canonical JSON).
 * Kept apart from the rest of the engine because it loads node:crypto, which the hook
 * needs only once a call is gated.
 */
export function toolFingerprint(toolName: string, toolInput: unknown, cwd: string, tier: Tier): string {
  return fingerprintOf(toolOperation(toolName, toolInput, cwd, tier));
}
