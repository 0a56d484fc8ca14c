import { commandName } from '../shell/command-name.js';
import { GIT_BUILTINS, GIT_VALUE_OPTIONS } from '../shell/git-builtins.js';

/**
 * `git p origin main` names nothing guarded, but `alias.p = push` makes it a push. For
 * the fast path (no parser loaded): true when some `git` in the command has a
 * subcommand that is not one of git's own, which an alias cannot shadow. The analyser
 * then reads the aliases. Case matters: `git STATUS` is not git's status, and looks up
 * `alias.status`.
 *
 * The words are read the way the shell splits them (quotes, escapes, operators), so a
 * quoted `"status x.y"` is one word (an alias from `[alias "status x"] y = ...`), and
 * `git -C dir p` skips `dir`, the value of `-C`. Anything the reader does not model
 * (`$`, backquotes, globs, braces) stays in the word, and no builtin's name holds those.
 * A redirect's target is not an argument (`git >status p` runs `p`). Reading too much
 * (a `git` in a heredoc or comment) only costs an analysis.
 */
export function mayRunGitAlias(command: string): boolean {
  if (!/g['"\\]*i['"\\]*t/i.test(command)) return false;
  const words = shellWords(command);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === SEP || commandName(w as string) !== 'git') continue;
    let j = i + 1;
    for (; j < words.length; j++) {
      const t = words[j];
      if (t === SEP || !(t as string).startsWith('-')) break;
      if (GIT_VALUE_OPTIONS.has(t as string)) j++;
    }
    const sub = words[j];
    if (sub !== undefined && sub !== SEP && !GIT_BUILTINS.has(sub)) return true;
  }
  return false;
}

/** Between two commands: `;`, `&`, `|`, `(`, `)`, a newline. */
const SEP: unique symbol = Symbol('separator');
type Token = string | typeof SEP;

/** The command's words in order, redirect targets left out, with SEP between commands. */
function shellWords(text: string): Token[] {
  const out: Token[] = [];
  let word: string | null = null;
  let redirect = false;
  const end = () => {
    if (word !== null && !redirect) out.push(word);
    if (word !== null) redirect = false;
    word = null;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\') {
      if (text[i + 1] !== '\n') word = (word ?? '') + (text[i + 1] ?? '');
      i++;
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const stop = close === -1 ? text.length : close;
      word = (word ?? '') + text.slice(i + 1, stop);
      i = stop;
    } else if (c === '"') {
      let s = '';
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\' && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1] as string)) {
          if (text[i + 1] !== '\n') s += text[i + 1];
          i++;
        } else s += text[i];
      }
      word = (word ?? '') + s;
    } else if (c === ' ' || c === '\t') end();
    else if (c === '<' || c === '>' || (c === '&' && text[i + 1] === '>')) {
      // `<(cmd)`, `>(cmd)`: a command in a process substitution, not a redirect.
      if (text[i + 1] === '(') {
        end();
        out.push(SEP);
        i++;
        continue;
      }
      // `2>x`: the digits are a file descriptor, not a word, yet counting them only costs an analysis.
      end();
      redirect = true;
      while (text[i + 1] === '<' || text[i + 1] === '>' || text[i + 1] === '&' || text[i + 1] === '|') i++;
    } else if (c === ';' || c === '&' || c === '|' || c === '(' || c === ')' || c === '\n') {
      end();
      redirect = false;
      out.push(SEP);
    } else word = (word ?? '') + c;
  }
  end();
  return out;
}
