import type { Tier } from '../config.js';
import type { Invocation } from '../shell/invocation.js';
import type { ReadFile } from '../shell/script-files.js';

/**
 * A built-in rule of the delete-tier catalogue. The catalogue is data: each entry names
 * itself, says what it catches and what to do instead, and says how to match, as a
 * small declarative spec. Loading it costs nothing: the code that evaluates specs loads
 * only when a command needs analysing.
 */
export interface CatalogueRule {
  /** Stable id, shown to the agent and in the audit log, e.g. "terraform.destroy". */
  readonly id: string;
  /** What the rule catches, in a phrase that completes "it ...". */
  readonly description: string;
  readonly tier: Tier;
  /** A safer way to get the job done, offered in the deny reason. */
  readonly alternative: string;
  /** Invocation names (basename, lowercase) the rule applies to. */
  readonly commands: readonly string[];
  readonly match: MatchSpec;
  /**
   * Words one of which appears in any command this rule can match (lowercased, quotes
   * removed). Derived from the spec when omitted; the fast path skips analysis for a
   * command holding none of any rule's words.
   */
  readonly keywords?: readonly string[];
}

/**
 * How a rule matches an invocation.
 * - `sub`: the operands start with these words (`["s3", "rb"]`); a word only known at
 *   run time matches anything.
 * - `operand`: one of the first few literal operands matches.
 * - `option`: one of these options is present (`-f`, `--force`, `--force=x`).
 * - `all` / `any`: combinations. `always`: every invocation of the commands.
 * - `named`: a matcher written in code, for what a spec cannot say (SQL, rm, git).
 */
export type MatchSpec =
  | { readonly sub: readonly (string | RegExp)[] }
  | { readonly operand: string | RegExp; readonly within?: number }
  | { readonly option: readonly string[] }
  | { readonly all: readonly MatchSpec[] }
  | { readonly any: readonly MatchSpec[] }
  | { readonly always: true }
  | { readonly named: NamedMatcher };

export type NamedMatcher =
  | 'sql:drop'
  | 'sql:truncate'
  | 'sql:delete-without-where'
  | 'sql:alter-drop'
  | 'sql:unknown'
  | 'redis-flush'
  | 'mongo-drop'
  | 'compose-down-volumes'
  | 'rm-recursive-outside-build'
  | 'find-delete-outside-build'
  | 'rsync-delete-outside-build'
  | 'git-reset-hard'
  | 'git-clean-force'
  | 'git-branch-force-delete-protected'
  | 'gh-api-delete';

/**
 * A matcher's answer: null or false for no match, true for a match, a string for a match
 * with a detail for the reason (the SQL statement, "the target is only known when it runs").
 */
export type MatchResult = string | boolean | null;

export type Matcher = (inv: Invocation, env: MatchEnv) => MatchResult;

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
  /** The path with every symlink resolved (realpath), null when it does not exist. */
  readonly realPath: (path: string) => string | null;
  /** A directory's entry names (following symlinks), null when it cannot be listed. */
  readonly readDir: (path: string) => readonly string[] | null;
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
