import { fileURLToPath } from 'node:url';
import type { HookTarget } from './pre-push.js';

/**
 * What the installed hook runs: this very node binary and the hook script built next
 * to the CLI (dist/cli.js and dist/hooks/pre-push.js), both by absolute path.
 */
export function currentHookTarget(): HookTarget {
  return { nodePath: process.execPath, hookScript: fileURLToPath(new URL('./hooks/pre-push.js', import.meta.url)) };
}
