import { type SettingsScope, type ToolHookTarget, claudeCodeInstaller } from './claude-code.js';
import { configFileInstaller } from './config-file.js';
import { gitignoreInstaller } from './gitignore.js';
import type { Installer } from './installer.js';
import { type HookTarget, prePushInstaller } from './pre-push.js';

/**
 * What `theguard init` sets up, in order, and `theguard uninstall` takes back. The
 * configuration comes first: later installers read it (the state dir, for one).
 */
export interface InstallChoices {
  /** Register the Claude Code hook (default true). */
  readonly claudeCode?: boolean;
  /** Which Claude Code settings file: the project's (default) or the uncommitted local one. */
  readonly claudeSettings?: SettingsScope;
}

export function installers(hook: HookTarget & ToolHookTarget, choices: InstallChoices = {}): Installer[] {
  const list = [configFileInstaller, gitignoreInstaller, prePushInstaller(hook)];
  if (choices.claudeCode !== false) list.push(claudeCodeInstaller(hook, choices.claudeSettings ?? 'project'));
  return list;
}

/** Every installer that may have left a change, for uninstall (whatever init was told). */
export function allInstallers(hook: HookTarget & ToolHookTarget): Installer[] {
  return [configFileInstaller, gitignoreInstaller, prePushInstaller(hook), claudeCodeInstaller(hook, 'project')];
}
