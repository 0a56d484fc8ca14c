import { decisionContext } from '../decide/context.js';
import type { Decision } from '../decide/decision.js';
import { quickDecision } from '../decide/quick.js';
import { describeError } from '../errors.js';
import type { OwnGuard } from '../git/pre-push-installed.js';
import { type FullLoader, type HookConfig, hookConfig } from './hook-config.js';
import { type HookAnswer, HookInputError, type HookPayload, parsePayload } from './hook-io.js';

/**
 * One PreToolUse call, the light half: read the call, load the configuration (from its
 * snapshot while it is unchanged), and settle what the light decision can settle.
 * Most calls are `ls`, `npm test`, `Read`: they end here, having loaded only this small
 * bundle. Anything else (a command that needs the shell analyser, a call to gate or
 * block) goes to the full half, a second bundle loaded only then (./full.ts).
 */
export interface HookRuntime {
  readonly env: NodeJS.ProcessEnv;
  /** theguard's version: a snapshot made by another version is not trusted. */
  readonly version: string;
  readonly stdin: () => string;
  /** The full configuration loader (zod), a separate bundle loaded only when the snapshot is stale. */
  readonly fullLoader: () => FullLoader;
  /** The full half of the hook, a separate bundle. */
  readonly full: () => { finish: Finish };
  /** Absolute paths of theguard's CLI, so `node …/cli.js verify` is recognised as `theguard verify`. */
  readonly cliPaths: readonly string[];
  /** The node running this hook and the pre-push.js built beside it: what a genuine launcher names. */
  readonly ownGuard: OwnGuard;
}

export interface FinishInput {
  readonly payload: HookPayload;
  readonly loaded: HookConfig;
  readonly env: NodeJS.ProcessEnv;
  readonly cliPaths: readonly string[];
  readonly ownGuard: OwnGuard;
  /** What the light decision said, or null when it needs the full analyser. */
  readonly quick: Decision | null;
}

export type Finish = (input: FinishInput, answer: HookAnswer) => Promise<void>;

export async function preToolUse(rt: HookRuntime, answer: HookAnswer): Promise<void> {
  let payload: HookPayload;
  try {
    payload = parsePayload(rt.stdin());
  } catch (err) {
    const why = err instanceof HookInputError ? err.message : describeError(err);
    answer.deny(`theguard could not check this tool call because ${why}, so it is blocked. If this keeps happening, ask the human to run \`theguard doctor\`.`);
    return;
  }
  let loaded: HookConfig;
  try {
    loaded = await hookConfig(payload.cwd, rt.env, rt.version, rt.fullLoader);
  } catch (err) {
    answer.deny(`theguard cannot load its configuration, so every tool call is blocked until it is fixed: ${describeError(err)}\nAsk the human to run \`theguard config check\` in their own terminal.`);
    return;
  }
  const ctx = decisionContext({ cwd: payload.cwd, config: loaded.config, projectRoot: loaded.root, env: rt.env, protectedBranches: loaded.config.push.protectedBranches, cliPaths: rt.cliPaths });
  const quick = quickDecision(payload.toolName, payload.toolInput, ctx);
  if (quick?.action === 'allow') {
    answer.pass();
    return;
  }
  await rt.full().finish({ payload, loaded, env: rt.env, cliPaths: rt.cliPaths, ownGuard: rt.ownGuard, quick }, answer);
}
