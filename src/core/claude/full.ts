import { decisionContext } from '../decide/context.js';
import { recordedReads } from '../decide/recorded-reads.js';
import { decideTool } from '../decide/tool.js';
import { prePushGuardInstalled } from '../git/pre-push-installed.js';
import { gate } from './gate.js';
import type { FinishInput } from './pre-tool-use.js';
import type { HookAnswer } from './hook-io.js';

/**
 * The full half of the PreToolUse hook (dist/hooks/pre-tool-use-full.cjs): the shell
 * analyser for commands the light decision could not settle, then the clearance engine
 * for calls to gate or block. Pushes are left to the pre-push hook only where it is
 * really installed (asked of git, here, because only commands that push get this far).
 */
export async function finish(i: FinishInput, answer: HookAnswer): Promise<void> {
  const { config, root } = i.loaded;
  let decision = i.quick;
  const reads = recordedReads();
  if (decision === null) {
    const ctx = decisionContext({
      readFile: reads.readFile,
      cwd: i.payload.cwd,
      config,
      projectRoot: root,
      env: i.env,
      protectedBranches: config.push.protectedBranches,
      prePushHook: (repoDir: string, checkoutChanges: boolean) => prePushGuardInstalled(repoDir, i.env, i.ownGuard, checkoutChanges),
      cliPaths: i.cliPaths,
    });
    decision = decideTool(i.payload.toolName, i.payload.toolInput, ctx);
  }
  if (decision.action === 'allow') {
    answer.pass();
    return;
  }
  await gate(decision, i.payload, { config, root, env: i.env, reads: reads.digests() }, answer);
}
