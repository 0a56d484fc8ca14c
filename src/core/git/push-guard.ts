import type { GuardConfig } from '../config.js';
import { normalizeCode } from '../code.js';
import { type CoreGuard, limitedSentence } from '../guard.js';
import { duration } from '../lib/duration.js';
import { humanAtTerminal, readSecretOnTty } from '../lib/tty-secret.js';
import type { Operation } from '../operation.js';
import { classifyUpdate } from './classify.js';
import { objectFormatOf } from './object-format.js';
import { describePublished } from './published.js';
import { type JudgedUpdate, pushDetails, pushOperation } from './push-operation.js';
import { judgeUpdate, strictestTier } from './push-policy.js';
import { parseRefUpdates } from './ref-updates.js';

/**
 * The pre-push decision: which ref updates need a code, and what the human must do.
 * Without a grant the push stops (non-zero exit) after a code is sent; with one, the
 * grant is used up and the push goes on. Never anything derived from the code on
 * stdout or stderr: only what was stopped, where the code went (masked) and the next step.
 */
export interface PushRequest {
  /** Git's arguments to the hook. */
  readonly remote: string;
  readonly url: string;
  /** Git's stdin to the hook: one line per ref update. */
  readonly refs: string;
  readonly cwd: string;
}

export interface PushGuardDeps {
  readonly config: GuardConfig;
  /** Built only when a code is needed, so free pushes never touch the pepper or state dir. */
  readonly guard: () => CoreGuard;
  readonly say: (line: string) => void;
  /** Whether a human's terminal is there to type the code into (default: /dev/tty opens and stderr is a terminal). */
  readonly terminal?: () => boolean;
}

/** Exit statuses, as the CLI's (README): 0 go on, 3 a code is needed, 4 refused. */
export const PUSH_EXIT = { ALLOW: 0, ERROR: 1, VERIFY_REQUIRED: 3, DENIED: 4, CANCELLED: 130 } as const;

export async function guardPush(req: PushRequest, deps: PushGuardDeps): Promise<number> {
  const format = objectFormatOf(req.cwd);
  const judged: JudgedUpdate[] = parseRefUpdates(req.refs, format).map((u) => {
    const update = classifyUpdate(u, format, req.cwd);
    return { update, judgement: judgeUpdate(update, deps.config.push) };
  });
  const tier = strictestTier(judged.map((j) => j.judgement.tier));
  if (tier === null) return PUSH_EXIT.ALLOW;

  const op = pushOperation(tier, req.remote, req.url, judged);
  const guard = deps.guard();
  if (guard.consume(op)) {
    deps.say(`theguard: approved: ${op.summary} (the approval is now used up).`);
    return PUSH_EXIT.ALLOW;
  }
  const details = pushDetails(req.remote, req.url, judged, describePublished(judged.map((j) => j.update), req.remote, format, req.cwd));
  const r = await guard.request(op, { details });
  if (r.status === 'granted') return useGrant(guard, op, deps);
  if (r.status === 'locked') {
    deps.say(`theguard: push stopped: ${tier}-tier approvals are locked until ${new Date(r.until).toLocaleTimeString('en-GB', { hour12: false })} after too many wrong codes.`);
    deps.say('Nothing was pushed. Wait for the lockout to end, then push again.');
    return PUSH_EXIT.DENIED;
  }
  if (r.status === 'limited') {
    deps.say(`theguard: push stopped: ${op.summary} needs approval, but ${limitedSentence(r, guard.config.rateLimit.windowSeconds)}.`);
    deps.say('Nothing was pushed.');
    return PUSH_EXIT.DENIED;
  }
  const c = r.clearance;
  deps.say(`theguard: push stopped: ${op.summary}`);
  for (const { update: u, judgement: j } of judged) if (j.tier) deps.say(`  ${u.remoteRef}: ${j.why} (${j.tier} tier)`);
  deps.say(r.status === 'sent'
    ? `A code was sent to ${r.to} (request ${c.id}, expires in ${duration(c.expiresAt - Date.now())}).`
    : `A code was already sent to ${r.to} (request ${c.id}, expires in ${duration(c.expiresAt - Date.now())}); no new code was sent.`);
  if ((deps.terminal ?? humanAtTerminal)()) return promptAtTerminal(guard, op, c.id, c.expiresAt, deps);
  deps.say(nextStep(c.id));
  return PUSH_EXIT.VERIFY_REQUIRED;
}

function nextStep(id: string): string {
  return `Next: run \`theguard verify\` in another terminal (request ${id}), then push again.`;
}

function useGrant(guard: CoreGuard, op: Operation, deps: PushGuardDeps): number {
  if (guard.consume(op)) {
    deps.say(`theguard: approved: ${op.summary} (the approval is now used up).`);
    return PUSH_EXIT.ALLOW;
  }
  deps.say('theguard: push stopped: the approval was used by another process first. Push again to request a new code.');
  return PUSH_EXIT.DENIED;
}

/** The one-step path for a human at their own terminal: type the code here, the push goes on. */
async function promptAtTerminal(guard: CoreGuard, op: Operation, id: string, expiresAt: number, deps: PushGuardDeps): Promise<number> {
  deps.say('Type the code to push now, or press Enter to stop here.');
  for (;;) {
    const answer = await readSecretOnTty('Code: ', expiresAt - Date.now());
    if (answer.status === 'cancelled') {
      deps.say('Cancelled. Nothing was pushed.');
      return PUSH_EXIT.CANCELLED;
    }
    if (answer.status === 'timeout') {
      deps.say('No code was entered before it expired. Nothing was pushed; push again for a new code.');
      return PUSH_EXIT.VERIFY_REQUIRED;
    }
    if (answer.status === 'empty') {
      // The human may have approved from another terminal meanwhile.
      if (guard.consume(op)) return PUSH_EXIT.ALLOW;
      deps.say(`Nothing was pushed. ${nextStep(id)}`);
      return PUSH_EXIT.VERIFY_REQUIRED;
    }
    const code = normalizeCode(answer.text);
    if (code === null) {
      deps.say('A code is 6 digits; nothing was checked.');
      continue;
    }
    const v = await guard.verify(code, id);
    if (v.status === 'granted') return useGrant(guard, op, deps);
    if (v.status === 'wrong' && v.attemptsLeft > 0) {
      deps.say(`Wrong code. ${v.attemptsLeft} attempt(s) left.`);
      continue;
    }
    if (v.status === 'cooldown') {
      deps.say(`Too soon; try again in ${duration(v.retryAt - Date.now())}.`);
      continue;
    }
    const why = v.status === 'wrong' ? 'no attempts left; the code is revoked' : v.status === 'not_found' ? 'the request is gone' : v.status;
    deps.say(`theguard: push stopped: not approved (${why}). Nothing was pushed.`);
    return PUSH_EXIT.DENIED;
  }
}
