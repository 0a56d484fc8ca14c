import { fileURLToPath } from 'node:url';
import type { ToolHookTarget } from './claude-code.js';
import type { HookTarget } from './pre-push.js';

/**
 * What the installed hooks run: this very node binary and the hook scripts built next
 * to the CLI (dist/cli.js, dist/hooks/pre-push.js, dist/hooks/pre-tool-use.cjs), all by
 * absolute path.
 */
export function currentHookTarget(): HookTarget & ToolHookTarget {
  return {
    nodePath: process.execPath,
    hookScript: fileURLToPath(new URL('./hooks/pre-push.js', import.meta.url)),
    toolHookScript: fileURLToPath(new URL('./hooks/pre-tool-use.cjs', import.meta.url)),
  };
}
