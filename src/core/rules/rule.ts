import type { Tier } from '../config.js';
import type { Invocation } from '../shell/invocation.js';
import type { ReadFile } from '../shell/script-files.js';

/**
 * A built-in rule of the delete-tier catalogue. The catalogue is data: each entry names
 * itself, says what it catches and what to do instead, and carries a small matcher over
 * one analysed invocation.
 */
export interface CatalogueRule {
  /** Stable id, shown to the agent and in the audit log, e.g. "terraform.destroy". */
  readonly id: string;
  /** What the rule catches, in a phrase that completes "This command ...". */
  readonly description: string;
  readonly tier: Tier;
  /** A safer way to get the job done, offered in the deny reason. */
  readonly alternative: string;
  /** Invocation names (basename, lowercase) the matcher is tried on. */
  readonly commands: readonly string[];
  /**
   * null: no match. true: a match. A string: a match, with a detail for the reason
   * (e.g. the SQL statement, or "the target is only known when it runs").
   */
  readonly match: (inv: Invocation, env: MatchEnv) => string | boolean | null;
}

/** What matchers may consult besides the invocation. */
export interface MatchEnv {
  readonly projectRoot: string;
  readonly home: string;
  /** Globs of branches whose forced deletion is gated (`git branch -D main`). */
  readonly protectedBranches: readonly string[];
  /** Directories below which `rm -rf` is routine (system temp dirs). */
  readonly tempDirs: readonly string[];
  readonly readFile: ReadFile;
  /** What is at a path now, without following a final symlink. */
  readonly kindOf: (path: string) => 'dir' | 'file' | 'missing';
}

/** A rule that matched, with what the agent and the human are told. */
export interface Finding {
  readonly ruleId: string;
  readonly tier: Tier;
  /** The command that matched, shortened, e.g. "terraform destroy -auto-approve". */
  readonly operation: string;
  readonly reason: string;
  readonly alternative?: string | undefined;
}
