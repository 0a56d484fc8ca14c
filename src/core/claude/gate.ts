import { currentActor } from '../audit.js';
import type { GuardConfig } from '../config.js';
import type { BlockDecision, VerifyDecision } from '../decide/decision.js';
import { type FileDigests, toolOperation } from '../decide/tool-operation.js';
import { describeError } from '../errors.js';
import { CoreGuard, type RequestOutcome, limitedSentence } from '../guard.js';
import { duration } from '../lib/duration.js';
import { defaultPepperPath } from '../lib/paths.js';
import { oneLine } from '../operation.js';
import type { HookAnswer, HookPayload } from './hook-io.js';

/**
 * What happens to a call theguard objects to. A block is denied, with the reason and no
 * way around it, and recorded. A call that needs approval uses a waiting grant if there
 * is one (then stays silent, and Claude Code's own permissions decide); otherwise a code
 * goes to the human and the deny tells the agent exactly what to ask them. No deny
 * reason ever holds the code or anything derived from it.
 */
export interface GateContext {
  readonly config: GuardConfig;
  readonly root: string;
  readonly env: NodeJS.ProcessEnv;
  /** The files read to judge the call: bound into the approval. */
  readonly reads?: FileDigests;
}

export async function gate(d: VerifyDecision | BlockDecision, p: HookPayload, g: GateContext, answer: HookAnswer): Promise<void> {
  const guard = new CoreGuard({ config: g.config, root: g.root, actor: currentActor('hook:pre-tool-use', p.sessionId), pepperPath: defaultPepperPath(g.env) });
  if (d.action === 'block') {
    recordBlock(guard, d, p);
    answer.deny(d.message);
    return;
  }
  const op = toolOperation(p.toolName, p.toolInput, p.cwd, d.tier, g.reads);
  if (guard.consume(op)) {
    answer.pass();
    return;
  }
  let r: RequestOutcome;
  try {
    r = await guard.request(op, { session: p.sessionId, details: details(d, p) });
  } catch (err) {
    answer.deny(`${d.message} theguard could not send the approval code (${describeError(err)}), so the call stays blocked. Ask the human to run \`theguard doctor\` in their own terminal.`);
    return;
  }
  if (r.status === 'granted' && guard.consume(op)) {
    answer.pass();
    return;
  }
  answer.deny(verifyReason(d, r, g.config));
}

/** The deny reason for a call that needs a code: what to tell the human, never the code. */
export function verifyReason(d: VerifyDecision, r: RequestOutcome, config: GuardConfig): string {
  const ask = (id: string) =>
    `Ask the human to run \`theguard verify ${id}\` in their own terminal and type the code from the email, then retry exactly the same call. Do not try to obtain or guess the code yourself.`;
  switch (r.status) {
    case 'sent':
      return `${d.message} A code was sent to ${r.to} (request ${r.clearance.id}, valid for ${duration(r.clearance.expiresAt - Date.now())}). ${ask(r.clearance.id)}`;
    case 'pending':
      return `${d.message} A code was already sent to ${r.to} (request ${r.clearance.id}, valid for ${duration(r.clearance.expiresAt - Date.now())}); no new code was sent. ${ask(r.clearance.id)}`;
    case 'locked':
      return `${d.message} Approvals for the ${r.tier} tier are locked for ${duration(r.until - Date.now())} after too many wrong codes, so no code was sent. Retry after that, or ask the human.`;
    case 'limited':
      return `${d.message} But ${limitedSentence(r, config.rateLimit.windowSeconds)}. Wait, or ask the human to run \`theguard status\`.`;
    case 'granted':
      return `${d.message} An approval exists but was used by another call at the same moment; retry the call.`;
  }
}

/** What the human sees besides the exact parameters: why it was stopped, and the command as typed. */
function details(d: VerifyDecision, p: HookPayload): string {
  const why = d.reasons.map((r) => `  - ${r}`).join('\n');
  const command = typeof p.toolInput.command === 'string' && p.toolName === 'Bash' ? `\nCommand, exactly as the agent wrote it:\n${p.toolInput.command}\n` : '';
  return `Why theguard stopped it (${d.ruleIds.join(', ')}):\n${why}\nTool: ${p.toolName}\nAgent session: ${p.sessionId ?? 'unknown'}${command}`;
}

function recordBlock(guard: CoreGuard, d: BlockDecision, p: HookPayload): void {
  // Best effort: a block stands whether or not it could be written down.
  try {
    guard.store.init();
    const what = typeof p.toolInput.command === 'string' ? `$ ${p.toolInput.command}` : p.toolName;
    guard.audit.append('blocked', currentActor('hook:pre-tool-use', p.sessionId), { summary: oneLine(what, 200), detail: `${d.kind} (${d.ruleIds.join(', ')}): ${d.reason}` });
  } catch {
    // nothing to add: the deny below is what matters
  }
}
