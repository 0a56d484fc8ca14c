/**
 * The Claude Code PreToolUse hook. Claude Code writes one tool call as JSON on stdin;
 * this prints nothing (no objection) or one deny, and always exits 0. It must never do
 * anything Claude Code reads as "allow": exit 1, crash, hang past its timeout, or print
 * something that is not the deny JSON. So: a watchdog denies before Claude Code's
 * timeout, every crash path denies, and stdout carries nothing but the answer.
 *
 * Built to small CommonJS files (Node's ES module loader alone costs more than this
 * hook's whole budget on a plain command): this light half decides plain calls;
 * dist/hooks/pre-tool-use-full.cjs (the shell analyser and the clearance engine) and
 * dist/hooks/config-loader.cjs (zod) are loaded only by the calls that need them.
 */
import { join } from 'node:path';
import type { FullLoader } from '../src/core/claude/hook-config.js';
import { HookAnswer, readStdin } from '../src/core/claude/hook-io.js';
import { type Finish, preToolUse } from '../src/core/claude/pre-tool-use.js';
import { describeError } from '../src/core/errors.js';

declare const __VERSION__: string;

/**
 * Below the 60 s timeout `theguard init` registers: deny first, so the call is never let
 * through. THEGUARD_HOOK_DEADLINE_MS may shorten it (tests use it), never lengthen it:
 * a shorter deadline can only turn an answer into a deny.
 */
const WATCHDOG_MS = Math.min(50_000, Number(process.env.THEGUARD_HOOK_DEADLINE_MS) || 50_000);

const answer = new HookAnswer((text) => process.stdout.write(text));
const failed = (why: string): void => {
  answer.deny(`theguard could not finish checking this tool call (${why}), so it is blocked. If this keeps happening, ask the human to run \`theguard doctor\`.`);
};

process.exitCode = 0;
process.on('uncaughtException', (err) => {
  failed(`internal error: ${describeError(err)}`);
  process.exit(0);
});
process.on('unhandledRejection', (err) => {
  failed(`internal error: ${describeError(err)}`);
  process.exit(0);
});
const watchdog = setTimeout(() => {
  failed(`it took longer than ${WATCHDOG_MS / 1000} s`);
  process.exit(0);
}, WATCHDOG_MS);

// The two halves loaded only when needed: the config validator (zod) and the full engine.
const fullLoader = (): FullLoader => (require(join(__dirname, 'config-loader.cjs')) as { loadForHook: FullLoader }).loadForHook;
const full = (): { finish: Finish } => require(join(__dirname, 'pre-tool-use-full.cjs')) as { finish: Finish };

preToolUse(
  {
    env: process.env,
    version: typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0',
    stdin: () => readStdin(0),
    fullLoader,
    full,
    cliPaths: [join(__dirname, '..', 'cli.js')],
    ownGuard: { node: process.execPath, hookScript: join(__dirname, 'pre-push.js') },
  },
  answer,
).then(
  () => {
    if (!answer.answered) failed('it ended without a decision');
    clearTimeout(watchdog);
  },
  (err: unknown) => {
    failed(describeError(err));
    clearTimeout(watchdog);
  },
);
