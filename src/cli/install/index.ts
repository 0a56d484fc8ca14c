import { configFileInstaller } from './config-file.js';
import { gitignoreInstaller } from './gitignore.js';
import type { Installer } from './installer.js';
import { type HookTarget, prePushInstaller } from './pre-push.js';

/**
 * What `theguard init` sets up, in order, and `theguard uninstall` takes back. The
 * configuration comes first: later installers read it (the state dir, for one).
 */
export function installers(hook: HookTarget): Installer[] {
  return [configFileInstaller, gitignoreInstaller, prePushInstaller(hook)];
}
