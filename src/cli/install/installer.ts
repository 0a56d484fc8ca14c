import type { LoadedConfig } from '../../config/load.js';
import type { FileChanges } from './file-changes.js';
import type { GitRepo } from './git-repo.js';
import type { Change, InstallRecord } from './record.js';

/**
 * One thing `theguard init` sets up (the config file, the .gitignore line, the git
 * hook; the Claude Code settings come next). Installers only write through `files`,
 * which records the previous state, so `theguard uninstall` can restore it exactly
 * without knowing what each installer did.
 */
export interface InstallOptions {
  /** --email: the human's address, for a new .theguard.json. */
  readonly email?: string | undefined;
  /** --yes: never ask; fail when an answer is needed and no flag gave it. */
  readonly yes: boolean;
  /** stdin and stderr are a terminal, and --yes was not given. */
  readonly interactive: boolean;
}

export interface InstallContext {
  readonly repo: GitRepo;
  readonly files: FileChanges;
  readonly options: InstallOptions;
  /** The configuration as it is now (reloaded after an installer writes it). */
  config(): Promise<LoadedConfig>;
  say(line: string): void;
  ask(question: string): Promise<string>;
}

export interface Installer {
  readonly name: string;
  /** Refuse before anything is written (every installer's preflight runs before any install). */
  preflight?(ctx: InstallContext): Promise<void>;
  install(ctx: InstallContext): Promise<void>;
  /**
   * For uninstall, when a file changed since init (the human edited it): the content
   * with only this installer's part removed; "restore" when the file is still wholly
   * theguard's and its earlier state can simply be put back; null when neither is safe.
   */
  unpatch?(change: Change, content: string, record: InstallRecord): string | 'restore' | null;
}
