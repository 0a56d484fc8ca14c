import { decodeAnsiC } from './ansi-c.js';
import { SHELL_LIMITS } from './limits.js';
import type { Assignment, Command, Heredoc, ListOp, Part, Pipeline, Redirect, RedirectOp, Script, SimpleCommand, Word } from './syntax.js';
import { Unanalysable } from './unanalysable.js';

/**
 * A recursive-descent parser for the part of the POSIX/bash grammar that decides which
 * commands run. One left-to-right pass over the characters with bounded lookahead and
 * no regular expressions that can backtrack, so its cost is linear in the input.
 *
 * What it does not model (arrays, `coproc`, extglob groups, ...) raises Unanalysable
 * rather than being guessed at.
 */
export function parseShell(src: string, depth = 0): Script {
  if (src.length > SHELL_LIMITS.maxInputChars) {
    throw new Unanalysable(`the command is ${src.length} characters long; theguard analyses at most ${SHELL_LIMITS.maxInputChars}`);
  }
  return new Parser(src, depth, { tokens: 0 }).parseAll();
}

type End = 'eof' | ')' | '}' | 'case';

/** Keywords that only shape control flow: the commands around them are what runs. */
const TRANSPARENT = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!']);
const RESERVED = new Set([...TRANSPARENT, '{', '}', 'case', 'esac', 'for', 'select', 'function', '[[', 'coproc', 'in']);

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';
/** Characters that end an unquoted word. */
const isMeta = (c: string | undefined): boolean =>
  c === undefined || c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '&' || c === '|' || c === '<' || c === '>' || c === '(' || c === ')';
/** Characters that need more than copying inside an unquoted word. */
const isWordSpecial = (c: string): boolean => isMeta(c) || c === '\\' || c === "'" || c === '"' || c === '$' || c === '`';
const isNameStart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z_]/.test(c);
const isNameChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Collects the parts of one word, merging adjacent literal text. */
class WordBuilder {
  readonly parts: Part[] = [];
  readonly subs: Script[] = [];
  private buf = '';
  private quoted = false;

  lit(s: string, quoted: boolean): void {
    if (this.buf !== '' && this.quoted !== quoted) this.flush();
    this.buf += s;
    this.quoted = quoted;
  }

  add(part: Part): void {
    this.flush();
    this.parts.push(part);
  }

  flush(): void {
    if (this.buf !== '') this.parts.push({ t: 'lit', s: this.buf, quoted: this.quoted });
    this.buf = '';
  }

  word(raw: string): Word {
    this.flush();
    return { parts: this.parts, raw, subs: this.subs };
  }
}

class Parser {
  private pos = 0;
  private depth: number;
  private readonly pending: Heredoc[] = [];

  constructor(
    private readonly src: string,
    depth: number,
    private readonly budget: { tokens: number },
  ) {
    this.depth = depth;
  }

  parseAll(): Script {
    const script = this.parseScript('eof');
    this.finishHeredocs();
    return script;
  }

  // ---------------------------------------------------------------- bookkeeping

  private peek(k = 0): string | undefined {
    return this.src[this.pos + k];
  }

  private startsWith(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }

  private count(): void {
    if (++this.budget.tokens > SHELL_LIMITS.maxTokens) {
      throw new Unanalysable(`the command has more than ${SHELL_LIMITS.maxTokens} words and operators`);
    }
  }

  private enter(): void {
    if (++this.depth > SHELL_LIMITS.maxDepth) {
      throw new Unanalysable(`the command nests more than ${SHELL_LIMITS.maxDepth} levels deep`);
    }
  }

  private leave(): void {
    this.depth--;
  }

  private child(src: string): Parser {
    return new Parser(src, this.depth + 1, this.budget);
  }

  private skipBlanks(): void {
    while (isBlank(this.peek())) this.pos++;
  }

  private skipComment(): void {
    const nl = this.src.indexOf('\n', this.pos);
    this.pos = nl === -1 ? this.src.length : nl;
  }

  /** Every unquoted newline goes through here: it is where pending heredoc bodies start. */
  private consumeNewline(): void {
    this.pos++;
    while (this.pending.length > 0) this.readHeredocBody(this.pending.shift() as Heredoc);
  }

  /** Blanks, newlines and comments between commands. */
  private skipSpace(): void {
    for (;;) {
      const c = this.peek();
      if (isBlank(c)) this.pos++;
      else if (c === '\n') this.consumeNewline();
      else if (c === '#') this.skipComment();
      else if (c === '\\' && this.peek(1) === '\n') this.pos += 2;
      else return;
    }
  }

  /** The reserved word at the cursor, if the cursor is at one (only meaningful in command position). */
  private reservedAt(): string | null {
    let j = this.pos;
    while (j < this.src.length && /[A-Za-z!{}[\]]/.test(this.src[j] as string)) j++;
    const word = this.src.slice(this.pos, j);
    if (!RESERVED.has(word)) return null;
    const next = this.src[j];
    if (word === '{' || word === '!') return isBlank(next) || next === '\n' ? word : null;
    return isMeta(next) ? word : null;
  }

  private atReserved(word: string): boolean {
    return this.reservedAt() === word;
  }

  private fail(what: string): never {
    throw new Unanalysable(what);
  }

  // ---------------------------------------------------------------- lists and pipelines

  private parseScript(end: End): Script {
    this.enter();
    const items: { pipeline: Pipeline; op: ListOp | null }[] = [];
    for (;;) {
      this.skipSpace();
      const c = this.peek();
      if (c === undefined) {
        if (end !== 'eof') this.fail(`the command is missing a closing ${end === 'case' ? 'esac' : `'${end}'`}`);
        break;
      }
      if (end === ')' && c === ')') {
        this.pos++;
        break;
      }
      if (end === '}' && this.atReserved('}')) {
        this.pos++;
        break;
      }
      if (end === 'case' && (this.startsWith(';;') || this.startsWith(';&') || this.atReserved('esac'))) break;
      const pipeline = this.parsePipeline(end);
      items.push({ pipeline, op: this.parseListOp(end) });
    }
    this.leave();
    return { items };
  }

  private parseListOp(end: End): ListOp | null {
    this.skipBlanks();
    const c = this.peek();
    const n = this.peek(1);
    if (c === ';') {
      if (n === ';' || n === '&') {
        if (end === 'case') return null;
        this.fail(`unexpected '${c}${n}' outside a case statement`);
      }
      this.pos++;
      this.count();
      return ';';
    }
    if (c === '&' && n === '&') return this.binary('&&');
    if (c === '|' && n === '|') return this.binary('||');
    if (c === '&') {
      this.pos++;
      this.count();
      return '&';
    }
    if (c === '\n') {
      this.consumeNewline();
      return ';';
    }
    if (c === '#') this.skipComment();
    return null;
  }

  private binary(op: '&&' | '||'): ListOp {
    this.pos += 2;
    this.count();
    this.skipSpace();
    return op;
  }

  private parsePipeline(end: End): Pipeline {
    const commands = [this.parseCommand(end)];
    for (;;) {
      this.skipBlanks();
      if (this.peek() !== '|' || this.peek(1) === '|') break;
      this.pos += this.peek(1) === '&' ? 2 : 1;
      this.count();
      this.skipSpace();
      commands.push(this.parseCommand(end));
    }
    return { commands };
  }

  // ---------------------------------------------------------------- commands

  private parseCommand(end: End): Command {
    const start = this.pos;
    let skipped = false;
    for (;;) {
      this.skipBlanks();
      const kw = this.reservedAt();
      if (kw === null || !TRANSPARENT.has(kw)) break;
      this.pos += kw.length;
      this.count();
      skipped = true;
    }
    this.skipBlanks();
    const c = this.peek();
    if (skipped && (c === undefined || c === '\n' || c === ';' || c === '&' || c === '|' || c === ')')) {
      return { kind: 'simple', assignments: [], words: [], redirects: [], raw: this.src.slice(start, this.pos).trim() };
    }
    if (c === '(') return (this.peek(1) === '(' && this.tryArithmeticCommand(start)) || this.parseSubshell(start);
    switch (this.reservedAt()) {
      case '{':
        return this.parseGroup(start);
      case '[[':
        return this.parseTest(start);
      case 'case':
        return this.parseCase(start);
      case 'function':
        return this.parseFunctionKeyword(start);
      case 'for':
      case 'select':
        return this.parseFor(start);
      case 'coproc':
        return this.fail('`coproc` is not analysed');
      case '}':
      case 'esac':
      case 'in':
        return this.fail(`unexpected '${this.reservedAt()}'`);
      default:
        return this.parseSimple(start);
    }
  }

  private withRedirects(cmd: { kind: 'subshell' | 'group'; body: Script }, start: number): Command {
    const redirects: Redirect[] = [];
    for (;;) {
      this.skipBlanks();
      const r = this.tryRedirect();
      if (!r) break;
      redirects.push(r);
    }
    return { ...cmd, redirects, raw: this.src.slice(start, this.pos).trim() };
  }

  private parseSubshell(start: number): Command {
    this.pos++;
    this.count();
    return this.withRedirects({ kind: 'subshell', body: this.parseScript(')') }, start);
  }

  private parseGroup(start: number): Command {
    this.pos++;
    this.count();
    return this.withRedirects({ kind: 'group', body: this.parseScript('}') }, start);
  }

  /**
   * `(( expr ))`: an arithmetic command; only its substitutions can run anything. When
   * the parentheses do not close as `))` it was a nested subshell, as bash decides.
   */
  private tryArithmeticCommand(start: number): Command | null {
    const wb = new WordBuilder();
    const wordStart = this.pos;
    const saveTokens = this.budget.tokens;
    this.pos += 2;
    if (!this.scanArithmetic(wb)) {
      this.pos = wordStart;
      this.budget.tokens = saveTokens;
      return null;
    }
    wb.add({ t: 'dyn', what: 'arithmetic' });
    const word = wb.word(this.src.slice(wordStart, this.pos));
    return this.simpleFrom(start, [lit('(('), word]);
  }

  /** `[[ ... ]]`: operators inside are words, not shell operators. */
  private parseTest(start: number): Command {
    this.pos += 2;
    const words: Word[] = [lit('[[')];
    for (;;) {
      this.skipBlanks();
      const c = this.peek();
      if (c === undefined || c === '\n') this.fail('an unterminated [[ ]]');
      if (this.startsWith(']]') && isMeta(this.peek(2))) {
        this.pos += 2;
        words.push(lit(']]'));
        break;
      }
      this.count();
      if ('&|<>()!'.includes(c as string)) {
        let j = this.pos;
        while (j < this.src.length && '&|<>()!'.includes(this.src[j] as string)) j++;
        words.push(lit(this.src.slice(this.pos, j)));
        this.pos = j;
      } else {
        words.push(this.readWord());
      }
    }
    return this.withTrailingRedirects(start, words);
  }

  /**
   * `case WORD in (PATTERN | PATTERN) LIST ;; ... esac`: every branch may run, so the
   * result is a group holding all branch bodies, plus a `case` pseudo-command carrying
   * the subject and the patterns (their substitutions run).
   */
  private parseCase(start: number): Command {
    this.pos += 4;
    this.count();
    this.skipBlanks();
    const words: Word[] = [lit('case'), this.readWord()];
    this.skipSpace();
    if (!this.atReserved('in')) this.fail('a case statement without `in`');
    this.pos += 2;
    const items: { pipeline: Pipeline; op: ListOp | null }[] = [];
    for (;;) {
      this.skipSpace();
      if (this.peek() === undefined) this.fail('the command is missing a closing esac');
      if (this.atReserved('esac')) {
        this.pos += 4;
        break;
      }
      if (this.peek() === '(') this.pos++;
      this.readCasePatterns(words);
      items.push(...this.parseScript('case').items);
      if (this.startsWith(';;&')) this.pos += 3;
      else if (this.startsWith(';;') || this.startsWith(';&')) this.pos += 2;
    }
    const head: SimpleCommand = { kind: 'simple', assignments: [], words, redirects: [], raw: 'case' };
    items.unshift({ pipeline: { commands: [head] }, op: ';' });
    return this.withRedirects({ kind: 'group', body: { items } }, start);
  }

  private readCasePatterns(into: Word[]): void {
    for (;;) {
      this.skipBlanks();
      if (isMeta(this.peek()) && this.peek() !== ')' && this.peek() !== '|') this.fail('a malformed case pattern');
      if (this.peek() !== ')' && this.peek() !== '|') into.push(this.readWord());
      this.skipBlanks();
      const c = this.peek();
      this.pos++;
      if (c === ')') return;
      if (c !== '|') this.fail('a malformed case pattern');
    }
  }

  /** `for NAME in WORDS` / `for (( ... ))`: the loop header runs nothing but its substitutions. */
  private parseFor(start: number): Command {
    const save = this.pos;
    this.pos += this.startsWith('for') ? 3 : 6;
    this.skipBlanks();
    if (this.startsWith('((')) {
      const wb = new WordBuilder();
      this.pos += 2;
      if (!this.scanArithmetic(wb)) this.fail('an unterminated for (( ))');
      wb.add({ t: 'dyn', what: 'arithmetic' });
      return this.simpleFrom(start, [lit('for'), wb.word('((...))')]);
    }
    this.pos = save;
    return this.parseSimple(start);
  }

  /** `function NAME [()] BODY`. The body is analysed as if it ran: it may be called. */
  private parseFunctionKeyword(start: number): Command {
    this.pos += 8;
    this.skipBlanks();
    this.readWord();
    this.skipBlanks();
    if (this.startsWith('()')) this.pos += 2;
    return this.functionBody(start);
  }

  private functionBody(start: number): Command {
    this.skipSpace();
    const body = this.parseCommand('eof');
    return this.withRedirects({ kind: 'subshell', body: { items: [{ pipeline: { commands: [body] }, op: null }] } }, start);
  }

  private simpleFrom(start: number, words: Word[]): Command {
    return this.withTrailingRedirects(start, words);
  }

  private withTrailingRedirects(start: number, words: Word[]): SimpleCommand {
    const redirects: Redirect[] = [];
    for (;;) {
      this.skipBlanks();
      const r = this.tryRedirect();
      if (!r) break;
      redirects.push(r);
    }
    return { kind: 'simple', assignments: [], words, redirects, raw: this.src.slice(start, this.pos).trim() };
  }

  private parseSimple(start: number): Command {
    const assignments: Assignment[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      this.skipBlanks();
      const c = this.peek();
      if (c === undefined || c === '\n' || c === ';' || c === ')' || c === '|') break;
      if (c === '&' && this.peek(1) !== '>') break;
      if (c === '#') {
        this.skipComment();
        break;
      }
      if ((c === '<' || c === '>') && this.peek(1) === '(') {
        words.push(this.readProcessSubstitution());
        continue;
      }
      const r = this.tryRedirect();
      if (r) {
        redirects.push(r);
        continue;
      }
      if (c === '(') {
        if (words.length === 1 && assignments.length === 0 && redirects.length === 0 && this.isFunctionParens()) {
          return this.functionBody(start);
        }
        this.fail("an unexpected '(' (extglob patterns and arrays are not analysed)");
      }
      let word = this.readWord();
      if (this.peek() === '(' && word.raw.endsWith('=')) word = this.withArrayLiteral(word);
      const assignment = words.length === 0 ? asAssignment(word) : null;
      if (assignment) assignments.push(assignment);
      else words.push(word);
    }
    if (words.length === 0 && assignments.length === 0 && redirects.length === 0) {
      this.fail(`an unexpected '${this.peek() ?? 'end of input'}'`);
    }
    return { kind: 'simple', assignments, words, redirects, raw: this.src.slice(start, this.pos).trim() };
  }

  /**
   * `NAME=(a b c)`, also as an argument of `local`/`declare`: the elements are words
   * (their substitutions run); the value is dynamic as far as the analyser cares.
   */
  private withArrayLiteral(word: Word): Word {
    const start = this.pos;
    this.pos++;
    const subs = [...word.subs];
    for (;;) {
      this.skipSpace();
      const c = this.peek();
      if (c === undefined) this.fail('an unterminated array literal');
      if (c === ')') {
        this.pos++;
        break;
      }
      if (isMeta(c)) this.fail(`an unexpected '${c}' in an array literal`);
      subs.push(...this.readWord().subs);
    }
    const parts: Part[] = [...word.parts, { t: 'dyn', what: 'array' }];
    return { parts, raw: word.raw + this.src.slice(start, this.pos), subs };
  }

  private isFunctionParens(): boolean {
    let j = this.pos + 1;
    while (isBlank(this.src[j])) j++;
    if (this.src[j] !== ')') return false;
    this.pos = j + 1;
    return true;
  }

  // ---------------------------------------------------------------- redirects and heredocs

  private tryRedirect(): Redirect | null {
    let p = this.pos;
    while (isDigit(this.src[p])) p++;
    let fd: number | null = null;
    if (p > this.pos) {
      if (this.src[p] !== '<' && this.src[p] !== '>') return null;
      fd = Number(this.src.slice(this.pos, p));
    }
    const op = redirectOpAt(this.src, p);
    if (op === null) return null;
    this.pos = p + op.length;
    this.count();
    this.skipBlanks();
    if (isMeta(this.peek())) this.fail(`a redirect '${op}' without a target`);
    if (op === '<<' || op === '<<-') return { fd, op, target: null, heredoc: this.heredocStart(op) };
    return { fd, op, target: this.readWord(), heredoc: null };
  }

  private heredocStart(op: '<<' | '<<-'): Heredoc {
    const word = this.readWord();
    const quoted = word.parts.some((p) => p.t !== 'lit' || p.quoted);
    const delimiter = word.parts.map((p) => (p.t === 'lit' ? p.s : p.t === 'param' ? `$${p.name}` : '')).join('');
    const heredoc: Heredoc = { delimiter, quoted, stripTabs: op === '<<-', body: null };
    this.pending.push(heredoc);
    return heredoc;
  }

  private readHeredocBody(h: Heredoc): void {
    let body = '';
    while (this.pos < this.src.length) {
      const nl = this.src.indexOf('\n', this.pos);
      const lineEnd = nl === -1 ? this.src.length : nl;
      let line = this.src.slice(this.pos, lineEnd);
      if (h.stripTabs) {
        let t = 0;
        while (line[t] === '\t') t++;
        line = line.slice(t);
      }
      this.pos = nl === -1 ? this.src.length : nl + 1;
      if (line === h.delimiter) break;
      body += `${line}\n`;
    }
    h.body = h.quoted ? { parts: [{ t: 'lit', s: body, quoted: true }], raw: body, subs: [] } : this.child(body).readExpandingText();
  }

  /** Heredocs announced on the last line of input get an empty body, as in bash. */
  private finishHeredocs(): void {
    for (const h of this.pending.splice(0)) h.body = { parts: [], raw: '', subs: [] };
  }

  /** An unquoted heredoc body: like a double-quoted string without the quotes. */
  readExpandingText(): Word {
    this.enter();
    const wb = new WordBuilder();
    while (this.pos < this.src.length) {
      const c = this.src[this.pos] as string;
      if (c === '\\' && '$`\\\n'.includes(this.peek(1) ?? '')) {
        if (this.peek(1) !== '\n') wb.lit(this.peek(1) as string, true);
        this.pos += 2;
      } else if (c === '$') this.readDollar(wb, 'double');
      else if (c === '`') this.readBacktick(wb);
      else {
        let j = this.pos + 1;
        while (j < this.src.length && !'\\$`'.includes(this.src[j] as string)) j++;
        wb.lit(this.src.slice(this.pos, j), true);
        this.pos = j;
      }
    }
    this.leave();
    return wb.word(this.src);
  }

  // ---------------------------------------------------------------- words

  private readWord(): Word {
    this.count();
    const start = this.pos;
    const wb = new WordBuilder();
    for (;;) {
      const c = this.peek();
      if (c === undefined || isMeta(c)) break;
      if (c === '\\') {
        const n = this.peek(1);
        if (n === '\n') this.pos += 2;
        else if (n === undefined) {
          wb.lit('\\', false);
          this.pos++;
        } else {
          wb.lit(n, true);
          this.pos += 2;
        }
      } else if (c === "'") {
        const endQuote = this.src.indexOf("'", this.pos + 1);
        if (endQuote === -1) this.fail('an unterminated single quote');
        wb.lit(this.src.slice(this.pos + 1, endQuote), true);
        this.pos = endQuote + 1;
      } else if (c === '"') this.readDoubleQuoted(wb);
      else if (c === '$') this.readDollar(wb, 'unquoted');
      else if (c === '`') this.readBacktick(wb);
      else {
        let j = this.pos + 1;
        while (j < this.src.length && !isWordSpecial(this.src[j] as string)) j++;
        wb.lit(this.src.slice(this.pos, j), false);
        this.pos = j;
      }
    }
    if (this.pos === start) this.fail(`an unexpected '${this.peek() ?? 'end of input'}'`);
    return wb.word(this.src.slice(start, this.pos));
  }

  private readDoubleQuoted(wb: WordBuilder): void {
    this.pos++;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail('an unterminated double quote');
      if (c === '"') {
        this.pos++;
        return;
      }
      if (c === '\\') {
        const n = this.peek(1);
        if (n !== undefined && '$`"\\\n'.includes(n)) {
          if (n !== '\n') wb.lit(n, true);
          this.pos += 2;
        } else {
          wb.lit('\\', true);
          this.pos++;
        }
      } else if (c === '$') this.readDollar(wb, 'double');
      else if (c === '`') this.readBacktick(wb);
      else {
        let j = this.pos + 1;
        while (j < this.src.length && !'"\\$`'.includes(this.src[j] as string)) j++;
        wb.lit(this.src.slice(this.pos, j), true);
        this.pos = j;
      }
    }
  }

  private readDollar(wb: WordBuilder, where: 'unquoted' | 'double'): void {
    const n = this.peek(1);
    if (n === "'" && where === 'unquoted') {
      const decoded = decodeAnsiC(this.src, this.pos + 2);
      if (!decoded) this.fail("an unterminated $'...' string");
      wb.lit(decoded.text, true);
      this.pos = decoded.end;
    } else if (n === '"' && where === 'unquoted') {
      this.pos++;
      this.readDoubleQuoted(wb);
    } else if (n === '(') {
      this.readDollarParen(wb);
    } else if (n === '{') {
      this.readBraceParameter(wb);
    } else if (isNameStart(n)) {
      let j = this.pos + 2;
      while (isNameChar(this.src[j])) j++;
      wb.add({ t: 'param', name: this.src.slice(this.pos + 1, j) });
      this.pos = j;
    } else if (n !== undefined && (isDigit(n) || '@*#?-$!'.includes(n))) {
      wb.add({ t: 'dyn', what: `$${n}` });
      this.pos += 2;
    } else {
      wb.lit('$', where !== 'unquoted');
      this.pos++;
    }
  }

  /** `$( ... )` or `$(( ... ))`; bash tries arithmetic first and falls back, and so do we. */
  private readDollarParen(wb: WordBuilder): void {
    if (this.peek(2) === '(') {
      const save = this.pos;
      const saveTokens = this.budget.tokens;
      this.pos += 3;
      const trial = new WordBuilder();
      if (this.scanArithmetic(trial, 2)) {
        for (const s of trial.subs) wb.subs.push(s);
        wb.add({ t: 'dyn', what: 'arithmetic' });
        return;
      }
      this.pos = save;
      this.budget.tokens = saveTokens;
    }
    this.pos += 2;
    this.count();
    wb.subs.push(this.parseScript(')'));
    wb.add({ t: 'dyn', what: 'command substitution' });
  }

  /**
   * Scan an arithmetic expression after its opening parens up to the matching `))`.
   * Substitutions inside still run, so they are parsed. Returns false when the
   * parentheses do not close as `))` (then it was a command substitution of a subshell).
   */
  private scanArithmetic(wb: WordBuilder, open = 2): boolean {
    let depth = open;
    while (this.pos < this.src.length) {
      const c = this.src[this.pos] as string;
      if (c === '(') depth++;
      else if (c === ')') {
        depth--;
        if (depth === open - 1) {
          if (this.peek(1) !== ')') return false;
          this.pos += 2;
          return true;
        }
      } else if (c === '$') {
        this.readDollar(wb, 'double');
        continue;
      } else if (c === '`') {
        this.readBacktick(wb);
        continue;
      } else if (c === "'" || c === '"') {
        return false;
      } else if (c === '\\') this.pos++;
      this.pos++;
    }
    return false;
  }

  /** `${NAME}` is a parameter; anything fancier (`${x:-$(cmd)}`, `${!x}`) is dynamic, with its substitutions parsed. */
  private readBraceParameter(wb: WordBuilder): void {
    const start = this.pos + 2;
    let j = start;
    while (isNameChar(this.src[j])) j++;
    if (j > start && this.src[j] === '}' && isNameStart(this.src[start])) {
      wb.add({ t: 'param', name: this.src.slice(start, j) });
      this.pos = j + 1;
      return;
    }
    this.pos = start;
    const inner = new WordBuilder();
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail('an unterminated ${...}');
      if (c === '}') {
        this.pos++;
        break;
      }
      if (c === '\\') this.pos += 2;
      else if (c === "'") {
        const endQuote = this.src.indexOf("'", this.pos + 1);
        if (endQuote === -1) this.fail('an unterminated single quote');
        this.pos = endQuote + 1;
      } else if (c === '"') this.readDoubleQuoted(inner);
      else if (c === '$') this.readDollar(inner, 'double');
      else if (c === '`') this.readBacktick(inner);
      else this.pos++;
    }
    for (const s of inner.subs) wb.subs.push(s);
    wb.add({ t: 'dyn', what: 'parameter expansion' });
  }

  private readBacktick(wb: WordBuilder): void {
    let inner = '';
    let j = this.pos + 1;
    for (;;) {
      const c = this.src[j];
      if (c === undefined) this.fail('an unterminated backquote');
      if (c === '`') break;
      if (c === '\\' && j + 1 < this.src.length && '`\\$'.includes(this.src[j + 1] as string)) {
        inner += this.src[j + 1];
        j += 2;
      } else {
        inner += c;
        j++;
      }
    }
    this.pos = j + 1;
    this.count();
    wb.subs.push(this.child(inner).parseAll());
    wb.add({ t: 'dyn', what: 'command substitution' });
  }

  private readProcessSubstitution(): Word {
    const start = this.pos;
    this.pos += 2;
    this.count();
    const wb = new WordBuilder();
    wb.subs.push(this.parseScript(')'));
    wb.add({ t: 'dyn', what: 'process substitution' });
    return wb.word(this.src.slice(start, this.pos));
  }
}

function redirectOpAt(src: string, p: number): RedirectOp | null {
  const c = src[p];
  const n = src[p + 1];
  if (c === '&' && n === '>') return src[p + 2] === '>' ? '&>>' : '&>';
  if (c === '<') {
    if (n === '<') return src[p + 2] === '<' ? '<<<' : src[p + 2] === '-' ? '<<-' : '<<';
    if (n === '>') return '<>';
    if (n === '&') return '<&';
    return '<';
  }
  if (c === '>') {
    if (n === '>') return '>>';
    if (n === '|') return '>|';
    if (n === '&') return '>&';
    return '>';
  }
  return null;
}

function lit(s: string): Word {
  return { parts: [{ t: 'lit', s, quoted: false }], raw: s, subs: [] };
}

/** `NAME=value` or `NAME+=value` with an unquoted name: an assignment, not a command word. */
function asAssignment(word: Word): Assignment | null {
  const first = word.parts[0];
  if (!first || first.t !== 'lit' || first.quoted) return null;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\+?=/.exec(first.s);
  if (!m) return null;
  const rest = first.s.slice(m[0].length);
  const parts: Part[] = rest === '' ? [] : [{ t: 'lit', s: rest, quoted: false }];
  parts.push(...word.parts.slice(1));
  const value: Word = { parts, raw: word.raw.slice(word.raw.indexOf('=') + 1), subs: word.subs };
  return { name: m[1] as string, value, raw: word.raw };
}
