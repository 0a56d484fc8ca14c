/**
 * The syntax tree the parser produces: just enough of the shell grammar to know which
 * commands would run, with which words, redirects and inputs.
 */

/** A piece of a word. Expansions keep what is knowable about them. */
export type Part =
  /** Literal text; `quoted` when it came from quotes or a backslash (so never a glob). */
  | { readonly t: 'lit'; readonly s: string; readonly quoted: boolean }
  /** `$NAME` or `${NAME}`: resolvable when the analyser knows NAME. */
  | { readonly t: 'param'; readonly name: string }
  /** Anything whose value is unknown before it runs: `$(...)`, `$((...))`, `${x:-y}`, `$1`. */
  | { readonly t: 'dyn'; readonly what: string };

export interface Word {
  readonly parts: readonly Part[];
  /** The source text of the word. */
  readonly raw: string;
  /** Scripts of the command and process substitutions inside the word: they run too. */
  readonly subs: readonly Script[];
}

export interface Heredoc {
  readonly delimiter: string;
  /** A quoted delimiter (`<<'EOF'`) turns off expansion in the body. */
  readonly quoted: boolean;
  /** `<<-` strips leading tabs. */
  readonly stripTabs: boolean;
  /** Filled when the parser reaches the body, after the end of the line. */
  body: Word | null;
}

export type RedirectOp = '<' | '>' | '>>' | '>|' | '<>' | '<&' | '>&' | '&>' | '&>>' | '<<' | '<<-' | '<<<';

export interface Redirect {
  readonly fd: number | null;
  readonly op: RedirectOp;
  /** The file, fd or here-string word; null for a heredoc. */
  readonly target: Word | null;
  readonly heredoc: Heredoc | null;
}

export interface Assignment {
  readonly name: string;
  readonly value: Word;
  readonly raw: string;
}

export interface SimpleCommand {
  readonly kind: 'simple';
  readonly assignments: readonly Assignment[];
  readonly words: readonly Word[];
  readonly redirects: readonly Redirect[];
  readonly raw: string;
}

/** `( ... )`, `{ ...; }`, a function body, or an arithmetic/test command holding only words. */
export interface CompoundCommand {
  readonly kind: 'subshell' | 'group';
  readonly body: Script;
  readonly redirects: readonly Redirect[];
  readonly raw: string;
}

export type Command = SimpleCommand | CompoundCommand;

export interface Pipeline {
  readonly commands: readonly Command[];
}

export type ListOp = ';' | '&' | '&&' | '||';

export interface Script {
  readonly items: readonly { readonly pipeline: Pipeline; readonly op: ListOp | null }[];
}
