/**
 * The decision engine the PreToolUse hook calls. Pure apart from bounded reads (script
 * and SQL files a command runs, a branch's HEAD, realpath of a tool's file), with no
 * dependency outside node: built-ins. This barrel loads all of it; a hook that cares
 * about start-up time imports quick.ts eagerly and tool.ts only when needed:
 *
 *   import { decisionContext, quickDecision, toolOperation } from './decide/quick.js';
 *   const ctx = decisionContext({ cwd, config, prePushHook });
 *   const d = quickDecision(name, input, ctx) ?? (await import('./decide/tool.js')).decideTool(name, input, ctx);
 *   if (d.action === 'verify') request(toolOperation(name, input, cwd, d.tier)) ...
 */
export { analyseBash, decideBash } from './bash.js';
export { decideTool } from './tool.js';
export { quickDecision } from './quick.js';
export { type ContextOptions, DEFAULT_PROTECTED_BRANCHES, type DecisionContext, decisionContext } from './context.js';
export type { AllowDecision, BlockDecision, BlockKind, Decision, VerifyDecision } from './decision.js';
export { COSMETIC_FIELDS, type ToolCallParams, toolCallParams, toolOperation } from './tool-operation.js';
export { toolFingerprint } from './fingerprint.js';
export type { Finding } from '../rules/rule.js';
export type { PushFinding, PushRef } from '../rules/git-push.js';
export { CATALOGUE } from '../rules/catalogue.js';
