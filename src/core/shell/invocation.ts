import type { Redirect, Word } from './syntax.js';
import type { EnvChange } from './wrappers.js';
import type { Vars } from './words.js';

/**
 * One command the shell would run, after the analyser has peeled wrappers, followed
 * `bash -c` and friends, and worked out its directory and its input. Rules look only
 * at invocations, never at raw text.
 */
export interface Invocation {
  /** The command and its arguments, wrappers removed. Empty for a bare `NAME=value` or redirect. */
  readonly argv: readonly Word[];
  /** Basename of argv[0], lowercased; '' when there is no command; null when it is computed at run time. */
  readonly name: string | null;
  /** Environment changes for this command: leading `NAME=value`, env's and sudo's assignments, `env -u`. */
  readonly env: readonly EnvChange[];
  /** True for a bare `NAME=value` statement, which changes the shell itself. */
  readonly setsShellVars: boolean;
  readonly wrappers: readonly string[];
  readonly redirects: readonly Redirect[];
  readonly stdin: Input;
  /** The directory it runs in, when known (after `cd`, `env -C`); null when unknown. */
  readonly cwd: string | null;
  /** What `$NAME` resolves to at this point of the script. */
  readonly vars: Vars;
  /** Layers of `bash -c`, `eval`, substitution, ... above it. */
  readonly depth: number;
  /** How it was reached, outermost first, e.g. ["bash -c", "eval"]. */
  readonly via: readonly string[];
  /** Runs on another machine (`ssh host cmd`): paths are not local. */
  readonly remote: boolean;
  /** `xargs`/`parallel` append arguments read from stdin. */
  readonly argsFromStdin: boolean;
  /** `case`, `[[`, `((`, `for` headers: words, not a command. */
  readonly pseudo: boolean;
  /** Absolute paths written earlier in the same command line: reading them sees content the analyser never saw. */
  readonly writtenEarlier: ReadonlySet<string>;
  /** Of those, the ones written by a command that can make or move a symlink (`ln`, `cp`, `mv`, ...). */
  readonly linkedEarlier?: ReadonlySet<string>;
  /**
   * Its output is used: it feeds the next command of a pipeline (`find / | xargs cat`), or
   * it runs inside a `$(...)`, backquotes or `<(...)` whose output becomes another
   * command's words or input (`cat $(find ~ -name pepper)`). What it lists gets read.
   */
  readonly pipedOut?: boolean;
  /** Source text, for messages. */
  readonly raw: string;
}

/** What a command reads on stdin. */
export type Input =
  /** Inherited: a terminal, or nothing. */
  | { readonly kind: 'none' }
  /** Known text: a heredoc, a here-string, `echo ... |`. `exact` is false when it held expansions. */
  | { readonly kind: 'text'; readonly text: string; readonly exact: boolean }
  /** `< file` or `cat file |`. */
  | { readonly kind: 'file'; readonly word: Word }
  /** The output of a command the analyser cannot predict. */
  | { readonly kind: 'stream'; readonly from: string };

/** Something that would run code the analyser cannot see: always denied. */
export interface Opaque {
  readonly why: string;
  readonly raw: string;
}

/** Code handed to another language (`python -c`, `node -e`, `python - <<EOF`): checked for guarded words only. */
export interface InlineCode {
  readonly interpreter: string;
  readonly text: string;
  readonly raw: string;
}

export interface Analysis {
  readonly invocations: readonly Invocation[];
  readonly opaque: readonly Opaque[];
  readonly inline: readonly InlineCode[];
}
