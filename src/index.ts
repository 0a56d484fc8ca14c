/**
 * theguard: email 2FA for AI agents. The public face of the library.
 * The engine lives in src/core (Node built-ins only); configuration in src/config.
 */
export { createGuard, type CreateGuardOptions, type Guard } from './guard.js';
export type { ClearanceView, RequestOutcome, StatusReport, VerifyOutcome, WaitOutcome } from './core/guard.js';
export type { Operation } from './core/operation.js';
export { fingerprintOf } from './core/operation.js';
export { KDF_DEFAULTS } from './core/verifier.js';
export type { Delivery, Message, Receipt, ScopeFinding } from './core/delivery/port.js';
export type { GuardConfig, Tier, TierPolicy } from './core/config.js';
export { GuardError } from './core/errors.js';
export { configSchema, configJsonSchema, type ConfigInput } from './config/schema.js';
export { loadConfig, type LoadedConfig } from './config/load.js';
export { ConfigError } from './config/errors.js';
