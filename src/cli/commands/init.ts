import { mkdirSync } from 'node:fs';
import { loadConfig } from '../../config/load.js';
import { createDelivery } from '../../core/delivery/index.js';
import type { GlobalOptions } from '../context.js';
import { CliExit, EXIT } from '../exit-codes.js';
import { FileChanges } from '../install/file-changes.js';
import { gitRepo } from '../install/git-repo.js';
import { currentHookTarget } from '../install/hook-target.js';
import { installers } from '../install/index.js';
import type { InstallContext } from '../install/installer.js';
import { readRecord, writeRecord } from '../install/record.js';
import { askLine, isInteractive } from '../prompt.js';

/**
 * `theguard init [--email ADDRESS] [--yes] [--claude-settings project|local] [--no-claude-code]`:
 * set theguard up in this repository (the configuration, the .gitignore line, the
 * pre-push hook, the Claude Code hook). Running it again changes
 * nothing; `theguard uninstall` undoes it exactly.
 */
export async function initCommand(opts: GlobalOptions & { email?: string; yes?: boolean; claudeCode?: boolean; claudeSettings?: string }): Promise<number> {
  const repo = gitRepo(process.cwd());
  const files = new FileChanges(readRecord(repo.privateDir) ?? { v: 1, changes: [], createdDirs: [] });
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  const ctx: InstallContext = {
    repo,
    files,
    options: { email: opts.email, yes: opts.yes === true, interactive: opts.yes !== true && isInteractive() },
    // Reloaded on every call: the config installer may have just written the file.
    config: () => loadConfig(opts.config ? { file: opts.config } : { cwd: repo.root }),
    say,
    ask: askLine,
  };
  say(`theguard init in ${repo.root}`);
  if (opts.claudeSettings !== undefined && opts.claudeSettings !== 'project' && opts.claudeSettings !== 'local') {
    throw new CliExit(EXIT.USAGE, `--claude-settings must be "project" (.claude/settings.json) or "local" (.claude/settings.local.json); it is "${opts.claudeSettings}".`);
  }
  const list = installers(currentHookTarget(), { claudeCode: opts.claudeCode !== false, claudeSettings: (opts.claudeSettings ?? 'project') as 'project' | 'local' });
  for (const installer of list) await installer.preflight?.(ctx);
  try {
    for (const installer of list) await installer.install(ctx);
  } finally {
    // Even after a failure, record what was changed so far: uninstall must be able to undo it.
    if (files.changed) {
      mkdirSync(repo.privateDir, { recursive: true });
      writeRecord(repo.privateDir, files.record);
    }
  }
  say(files.changed ? 'Done. Check the setup with `theguard doctor`; undo it with `theguard uninstall`.' : 'Nothing to change: theguard is already set up here.');
  const { config } = await ctx.config();
  if (!createDelivery(config.email).secure) {
    say('Warning: codes go to the local "file" outbox, which is INSECURE (an agent running as you can read it). Configure an email provider for real protection (docs/configuration.md).');
  }
  return EXIT.OK;
}
