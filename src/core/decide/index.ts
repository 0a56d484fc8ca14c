/**
 * The decision engine the PreToolUse hook calls. Pure apart from bounded reads (script
 * and SQL files a command runs, a branch's HEAD, realpath of a tool's file), with no
 * dependency outside node: built-ins.
 *
 *   const ctx = decisionContext({ cwd, config, prePushHook });
 *   const d = decideTool(payload.tool_name, payload.tool_input, ctx);
 *   if (d.action === 'verify') request(toolOperation(payload.tool_name, payload.tool_input, cwd, d.tier)) ...
 */
export { decideBash } from './bash.js';
export { decideTool } from './tool.js';
export { type ContextOptions, DEFAULT_PROTECTED_BRANCHES, type DecisionContext, decisionContext } from './context.js';
export type { AllowDecision, BlockDecision, BlockKind, Decision, VerifyDecision } from './decision.js';
export { COSMETIC_FIELDS, type ToolCallParams, toolCallParams, toolFingerprint, toolOperation } from './fingerprint.js';
export type { Finding } from '../rules/rule.js';
export type { PushFinding, PushRef } from '../rules/git-push.js';
export { CATALOGUE } from '../rules/catalogue.js';
