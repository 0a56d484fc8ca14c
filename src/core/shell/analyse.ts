import { join } from 'node:path';
import { AWKS, AWK_OPTIONS, ENV_PRINTERS, SHELLS, SHELL_OPTIONS, interpreterOf } from './interpreters.js';
import type { Analysis, InlineCode, Input, Invocation, Opaque } from './invocation.js';
import { has, litWord, scanAll, scanOptions } from './options.js';
import { GIT_BUILTINS } from './git-builtins.js';
import { aliasValues, configFiles, configWrite, reposAt } from './git-config.js';
import { foundFile } from './find-results.js';
import { sedRuns, vimShell } from './editor-commands.js';
import { gitGlobals } from './git-globals.js';
import { parseShell } from './parser.js';
import { dirPath, wordPath } from './paths.js';
import { PACKAGE_RUNNERS, scriptsRun } from './package-scripts.js';
import { type ReadFile, isShellScript } from './script-files.js';
import { stdoutOf } from './stdout.js';
import type { Assignment, Command, Part, Pipeline, Redirect, Script, SimpleCommand, Word } from './syntax.js';
import { Unanalysable } from './unanalysable.js';
import { type EnvChange, commandName, unwrap } from './wrappers.js';
import { withStdinArgs } from './stdin-args.js';
import { bare, commandEnv, configSettings, gitCommands, gitRuns } from './git-commands.js';
import { type Vars, approximate, hasGlobChar, literal, resolve } from './words.js';

/**
 * From a command line to the list of commands it would run. Walks the syntax tree in
 * execution order, tracking the directory (`cd`), literal variables, and what each
 * command reads on stdin; follows `bash -c`, `eval`, shell scripts fed on stdin or by
 * file, `find -exec`, `ssh host cmd`, `trap` and `alias` bodies, git aliases.
 */
export interface AnalyseOptions {
  /** Where the command starts; null if unknown. */
  readonly cwd: string | null;
  readonly home: string;
  /** Environment values `$NAME` may resolve to (HOME, XDG_*, ...). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readFile: ReadFile;
}

export function analyse(command: string, opts: AnalyseOptions): Analysis {
  const walker = new Walker(opts);
  walker.script(parseShell(command), new Scope(opts.cwd, new Map(), { kind: 'none' }, false), 0, []);
  return walker.result();
}

/** Caps on the work following nested scripts may add. */
const MAX_FILES = 8;
const MAX_NESTED_CHARS = 1024 * 1024;

/** Variables assigned more than once (or by `read`, `for`, ...) are poisoned: null. */
class Scope {
  /** Variables whose value is known only by working out a `$(...)` (see Walker.shadow). */
  shadow = new Map<string, string>();
  /**
   * What the commands here print is used: piped on, or substituted into another
   * command's words (`cat $(find ~ -name pepper)`). A listing of files then gets read.
   */
  outUsed = false;

  constructor(
    public cwd: string | null,
    public vars: Map<string, string | null>,
    public stdin: Input,
    public remote: boolean,
  ) {}

  fork(stdin: Input = this.stdin): Scope {
    const s = new Scope(this.cwd, new Map(this.vars), stdin, this.remote);
    s.shadow = new Map(this.shadow);
    s.outUsed = this.outUsed;
    return s;
  }

  /** The scope of a `$(...)`, backquote or `<(...)`: no stdin, and its output becomes words. */
  substitution(): Scope {
    const s = this.fork({ kind: 'none' });
    s.outUsed = true;
    return s;
  }
}


/** Command names taken from well-known variables. */
const NAMED_BY_VARIABLE: Readonly<Record<string, string>> = { SHELL: 'sh', EDITOR: 'vi', VISUAL: 'vi', PAGER: 'less' };
const PSEUDO = new Set(['case', '[[', '((', 'for', 'select']);
const POISONS = new Set(['read', 'mapfile', 'readarray', 'getopts', 'for', 'select', 'let', 'unset']);
const DECLARES = new Set(['export', 'declare', 'typeset', 'local', 'readonly']);
const EMPTY: ReadonlySet<string> = new Set();
/** Commands whose target may end up a symlink (`ln -s`, `cp -P`, `mv link x`, `rsync -l`). */
const LINK_MAKERS = new Set(['ln', 'cp', 'mv', 'install', 'rsync', 'scp']);
const VIMS = new Set(['vi', 'vim', 'nvim', 'ex', 'view', 'vimdiff', 'gvim', 'evim', 'nex', 'nview']);
const TERRAFORMS = new Set(['terraform', 'tofu', 'terragrunt']);
const TF_CLI_ARGS = /^TF_CLI_ARGS(_[A-Za-z0-9_]+)?$/;

class Walker {
  private readonly invocations: Invocation[] = [];
  private readonly opaque: Opaque[] = [];
  private readonly inline: InlineCode[] = [];
  private readonly written = new Set<string>();
  private readonly linked = new Set<string>();
  /** Aliases a `git config alias.NAME VALUE` earlier in the line defines (null: a value only known at run time; `*`: any name). */
  private readonly lineAliases = new Map<string, (string | null)[]>();
  /** Template configs (`git init --template=DIR`) copied into repositories made earlier in the line. */
  private readonly templates: string[] = [];
  /** Alias names being expanded in the current git process, to stop at a loop as git does. */
  private aliasChain: ReadonlySet<string> = new Set();
  /** `-c` settings of the git whose shell alias is being walked: every git it runs has them too. */
  private inherited: readonly Setting[] = [];
  private files = 0;
  private nestedChars = 0;

  constructor(private readonly opts: AnalyseOptions) {}

  result(): Analysis {
    return { invocations: this.invocations, opaque: this.opaque, inline: this.inline };
  }

  /** Walks a script; returns its output when it is one pipeline whose output is known. */
  script(script: Script, scope: Scope, depth: number, via: readonly string[]): Input {
    let out: Input = { kind: 'none' };
    for (const item of script.items) {
      // A background job runs in a subshell: its `cd` does not move the rest.
      out = this.pipeline(item.pipeline, item.op === '&' ? scope.fork() : scope, depth, via);
    }
    return script.items.length === 1 ? out : { kind: 'stream', from: 'a list of commands' };
  }

  private pipeline(p: Pipeline, scope: Scope, depth: number, via: readonly string[]): Input {
    let upstream: Input = scope.stdin;
    p.commands.forEach((cmd, i) => {
      const s = p.commands.length > 1 ? scope.fork(upstream) : scope;
      if (i < p.commands.length - 1) s.outUsed = true;
      upstream = this.command(cmd, s, depth, via, upstream);
    });
    return upstream;
  }

  /** Walks one command; returns what it writes to stdout, for the next in the pipeline. */
  private command(cmd: Command, scope: Scope, depth: number, via: readonly string[], stdin: Input): Input {
    if (cmd.kind === 'simple') return this.simple(cmd, scope, depth, via, stdin);
    this.redirectSubs(cmd.redirects, scope, depth, via);
    const input = this.stdinOf(cmd.redirects, stdin, this.vars(scope));
    const inner = cmd.kind === 'subshell' ? scope.fork(input) : scope;
    const saved = inner.stdin;
    inner.stdin = input;
    this.script(cmd.body, inner, depth, via);
    inner.stdin = saved;
    this.recordRedirectWrites(cmd.redirects, scope.cwd, this.vars(scope));
    if (cmd.redirects.length > 0) this.push(this.bare(cmd.redirects, scope, depth, via, cmd.raw));
    return { kind: 'stream', from: cmd.raw };
  }

  private simple(cmd: SimpleCommand, scope: Scope, depth: number, via: readonly string[], upstream: Input): Input {
    const workedOut = this.withKnownSubs(cmd, scope, depth, via);
    const vars = this.vars(scope);
    if (cmd.words.length === 0) {
      const inv = { ...this.bare(cmd.redirects, scope, depth, via, cmd.raw), env: cmd.assignments.map(toEnv), setsShellVars: cmd.assignments.length > 0 };
      this.push(inv);
      this.commandVariables(inv, scope, depth);
      this.startupFiles(inv, scope, depth);
      for (const a of cmd.assignments) assign(scope, a.name, a.value, vars);
      this.shadowAssign(scope, workedOut, vars);
      this.recordRedirectWrites(cmd.redirects, scope.cwd, vars);
      return { kind: 'none' };
    }
    const u = unwrap(cmd.words);
    const cwd = u.chdir ? dirPath(u.chdir, scope.cwd, vars, this.opts.home) : scope.cwd;
    const stdin = this.stdinOf(cmd.redirects, upstream, vars);
    const inv: Invocation = {
      argv: u.argv,
      name: this.nameOf(u.argv, vars, cmd.raw, u.runsNothing),
      env: [...cmd.assignments.map(toEnv), ...u.env],
      setsShellVars: false,
      wrappers: u.wrappers,
      redirects: cmd.redirects,
      stdin,
      cwd,
      vars,
      depth,
      via,
      remote: scope.remote,
      argsFromStdin: u.argsFromStdin,
      pseudo: PSEUDO.has(literal(cmd.words[0] as Word) ?? ''),
      writtenEarlier: this.written.size > 0 ? new Set(this.written) : EMPTY,
      ...(this.linked.size > 0 ? { linkedEarlier: new Set(this.linked) } : {}),
      ...(scope.outUsed ? { pipedOut: true } : {}),
      raw: cmd.raw,
    };
    this.push(inv);
    this.shadow(cmd, workedOut, inv, scope);
    if (u.argsFromStdin) this.stdinArgs(inv, u.argsFile);
    this.commandVariables(inv, scope, depth);
    this.startupFiles(inv, scope, depth);
    if (inv.name !== null && TERRAFORMS.has(inv.name)) this.terraformEnvArgs(inv, scope);
    this.recordWrites(inv);
    if (u.script) this.nested(u.script.words, inv, scope, depth, u.script.via);
    else if (!u.runsNothing && !inv.pseudo && inv.name !== null) this.follow(inv, scope, depth);
    this.track(inv, scope);
    return stdoutOf(inv, this.opts.readFile);
  }

  private push(inv: Invocation): void {
    this.invocations.push(inv);
  }

  /** A statement with no command word: `NAME=value`, or only redirects. */
  private bare(redirects: readonly Redirect[], scope: Scope, depth: number, via: readonly string[], raw: string): Invocation {
    return {
      argv: [], name: '', env: [], setsShellVars: false, wrappers: [], redirects, stdin: { kind: 'none' }, cwd: scope.cwd,
      vars: this.vars(scope), depth, via, remote: scope.remote, argsFromStdin: false, pseudo: false,
      writtenEarlier: this.written.size > 0 ? new Set(this.written) : EMPTY, raw,
    };
  }

  private vars(scope: Scope): Vars {
    const own = scope.vars.size > 0 ? new Map(scope.vars) : null;
    const cwd = scope.cwd;
    const { home, env } = this.opts;
    return (name) => {
      if (own?.has(name)) return own.get(name) ?? undefined;
      if (name === 'HOME') return home;
      if (name === 'PWD') return cwd ?? undefined;
      return env[name];
    };
  }

  private nameOf(argv: readonly Word[], vars: Vars, raw: string, runsNothing: boolean): string | null {
    const head = argv[0];
    if (!head) return '';
    const isGlob = head.parts.some((p) => p.t === 'lit' && !p.quoted && hasGlobChar(p.s));
    const value = isGlob ? null : resolve(head, vars);
    if (value !== null) return commandName(value);
    const only = head.parts.length === 1 ? head.parts[0] : undefined;
    const named = only?.t === 'param' ? NAMED_BY_VARIABLE[only.name] : undefined;
    if (named) return named;
    if (!runsNothing) this.opaque.push({ why: 'the command name is computed when it runs', raw });
    return null;
  }

  // ------------------------------------------------------------ nested code

  /**
   * Walk the substitutions of a simple command (they run too), and give back a copy with
   * every `$(...)` whose output is known in advance replaced by that output: the same
   * object when there is none. The copy is only ever checked in addition to the command
   * as written (see shadow), never instead of it.
   */
  private withKnownSubs(cmd: SimpleCommand, scope: Scope, depth: number, via: readonly string[]): SimpleCommand {
    let changed = false;
    const words = cmd.words.map((w) => {
      const r = this.resolveSubs(w, scope, depth, via);
      changed ||= r !== w;
      return r;
    });
    const assignments = cmd.assignments.map((a) => {
      const value = this.resolveSubs(a.value, scope, depth, via);
      changed ||= value !== a.value;
      return value === a.value ? a : { ...a, value };
    });
    this.redirectSubs(cmd.redirects, scope, depth, via);
    return changed ? { ...cmd, words, assignments } : cmd;
  }

  /**
   * `cat $(echo LnRoZWd1YXJk | base64 -d)/audit.jsonl` reads `.theguard/audit.jsonl`. The
   * command as written is analysed as always (a computed command name stays opaque,
   * whatever the substitution seems to print); the worked-out copy is then added as one
   * more invocation, so it can only add findings. The stdout model of echo, printf or
   * base64 could differ from the real shell's in a corner; a copy that can only add
   * findings cannot be used to hide one.
   */
  private shadow(cmd: SimpleCommand, workedOut: SimpleCommand, inv: Invocation, scope: Scope): void {
    if (workedOut === cmd && scope.shadow.size === 0) return;
    const own = inv.vars;
    const vars: Vars = (name) => own(name) ?? scope.shadow.get(name);
    const u = unwrap(workedOut.words);
    const head = u.argv[0];
    const value = head && !head.parts.some((p) => p.t === 'lit' && !p.quoted && hasGlobChar(p.s)) ? resolve(head, vars) : null;
    this.push({ ...inv, argv: u.argv, name: value === null ? null : commandName(value), env: [...workedOut.assignments.map(toEnv), ...u.env], vars });
  }

  /**
   * `echo ~/.config/theguard/pepper | xargs cat`: when what xargs reads is known (text
   * piped or redirected in, a readable file, `-a FILE`), the command is also checked with
   * those arguments in place of the unknown ones. Like a shadow, this only adds findings.
   */
  private stdinArgs(inv: Invocation, argsFile: Word | null): void {
    const text = this.argsText(argsFile ? { kind: 'file', word: argsFile } : inv.stdin, inv);
    if (text === null) return;
    for (const argv of withStdinArgs(inv.argv, text)) {
      const head = argv[0] ? literal(argv[0]) : null;
      this.push({ ...inv, argv, name: head === null ? inv.name : commandName(head) });
    }
  }

  private argsText(input: Input, inv: Invocation): string | null {
    if (input.kind === 'text') return input.text;
    if (input.kind !== 'file' || inv.remote) return null;
    const ref = wordPath(input.word, inv.cwd, inv.vars, this.opts.home);
    if (ref.kind !== 'path' || inv.writtenEarlier.has(ref.path)) return null;
    if (++this.files > MAX_FILES) throw new Unanalysable('the command reads more files than theguard reads');
    const read = this.opts.readFile(ref.path);
    return read.kind === 'ok' ? read.text : null;
  }

  /** `d=$(printf '.the%sguard' '')`: remember the worked-out value, for later shadows only. */
  private shadowAssign(scope: Scope, workedOut: SimpleCommand, vars: Vars): void {
    for (const a of workedOut.assignments) {
      const v = resolve(a.value, (name) => vars(name) ?? scope.shadow.get(name));
      if (v === null) scope.shadow.delete(a.name);
      else scope.shadow.set(a.name, v);
    }
  }

  private resolveSubs(word: Word, scope: Scope, depth: number, via: readonly string[]): Word {
    const outputs = word.subs.map((sub) => this.script(sub, scope.substitution(), depth + 1, [...via, '$(...)']));
    const slots = word.parts.filter((p) => p.t === 'dyn' && p.what === 'command substitution').length;
    // Only when each substitution is one `$(...)` part, in order (not inside `${x:-$(...)}` or arithmetic).
    if (outputs.length === 0 || slots !== outputs.length || !outputs.some((o) => o.kind === 'text' && o.exact)) return word;
    let i = 0;
    const parts = word.parts.map((p): Part => {
      if (p.t !== 'dyn' || p.what !== 'command substitution') return p;
      const out = outputs[i++] as Input;
      return out.kind === 'text' && out.exact ? { t: 'lit', s: out.text.replace(/\n+$/, ''), quoted: false } : p;
    });
    return { ...word, parts };
  }

  private redirectSubs(redirects: readonly Redirect[], scope: Scope, depth: number, via: readonly string[]): void {
    for (const r of redirects) {
      if (r.target) this.wordSubs(r.target, scope, depth, via);
      if (r.heredoc?.body) this.wordSubs(r.heredoc.body, scope, depth, via);
    }
  }

  private wordSubs(word: Word, scope: Scope, depth: number, via: readonly string[]): void {
    for (const sub of word.subs) this.script(sub, scope.substitution(), depth + 1, [...via, '$(...)']);
  }

  private follow(inv: Invocation, scope: Scope, depth: number): void {
    const name = inv.name ?? '';
    if (SHELLS.has(name)) this.shell(inv, scope, depth);
    else if (name === 'eval') this.evalArgs(inv, scope, depth);
    else if (name === 'source' || name === '.') this.scriptFile(inv.argv[1], inv, scope, depth, name);
    else if (name === 'find') this.findExec(inv, scope, depth);
    else if (name === 'fd' || name === 'fdfind') this.fdExec(inv, scope, depth);
    else if (name === 'git') {
      this.gitAlias(inv, scope, depth);
      this.gitSettings(inv, scope, depth);
      this.gitRunsCommands(inv, scope, depth);
    }
    else if (name === 'ssh') this.ssh(inv, scope, depth);
    else if (name === 'docker' || name === 'podman' || name === 'kubectl' || name === 'oc') this.containerExec(inv, scope, depth);
    else if (name === 'trap') this.trap(inv, scope, depth);
    else if (name === 'at' || name === 'batch') this.atJob(inv, scope, depth);
    else if (name === 'sed' || name === 'gsed') this.sed(inv, scope, depth);
    else if (VIMS.has(name)) this.vim(inv, scope, depth);
    else if (name === 'less') this.less(inv, scope, depth);
    else if (name === 'man') this.man(inv, scope, depth);
    else if (name === 'alias') this.alias(inv, scope, depth);
    else if (AWKS.has(name)) this.awk(inv);
    else if (PACKAGE_RUNNERS.has(name)) this.packageScripts(inv, scope, depth);
    else if (literal(inv.argv[0] as Word)?.includes('/')) this.executedFile(inv, scope, depth);
    else this.interpreter(inv);
  }

  /** `npm test`, `yarn deploy`: the package.json scripts they run are read like script files. */
  private packageScripts(inv: Invocation, scope: Scope, depth: number): void {
    const run = scriptsRun(inv, this.opts.readFile);
    if (!run) return;
    const how = `${inv.name} run`;
    if (inv.writtenEarlier.has(join(run.dir, 'package.json'))) {
      this.opaque.push({ why: `\`${how}\` runs scripts from ${join(run.dir, 'package.json')}, which the same command writes first`, raw: inv.raw });
      return;
    }
    for (const script of run.scripts) {
      if (++this.files > MAX_FILES) throw new Unanalysable('the command runs more script files than theguard reads');
      const child = scope.fork({ kind: 'none' });
      child.cwd = run.dir;
      try {
        this.walkText(script.text, child, depth, [...inv.via, `${how} ${script.name}`]);
      } catch (err) {
        if (!(err instanceof Unanalysable)) throw err;
        this.inline.push({ interpreter: `${how} ${script.name} (${err.why})`, text: script.text, raw: inv.raw });
      }
    }
  }

  /**
   * `./deploy.sh`, `/tmp/x.sh`: running a file by its path. A shell script (a shell
   * shebang, or text with none, which the kernel hands to sh) is read like `sh deploy.sh`,
   * so writing a script and running it hides nothing. Programs, scripts in other
   * languages, and files in system directories (many of their tools are shell scripts
   * nobody here wrote) are not read.
   */
  private executedFile(inv: Invocation, scope: Scope, depth: number): void {
    const head = inv.argv[0];
    if (!head || inv.remote) return;
    const ref = wordPath(head, inv.cwd, inv.vars, this.opts.home);
    if (ref.kind !== 'path' || !isShellScript(ref.path)) return;
    this.scriptFile(head, inv, scope, depth, `running ${ref.path}`);
  }

  private shell(inv: Invocation, scope: Scope, depth: number): void {
    const scan = scanOptions(inv.argv, 1, SHELL_OPTIONS);
    const operands = inv.argv.slice(scan.index);
    const name = inv.name as string;
    if (has(scan, 'c')) {
      if (operands[0]) this.nested([operands[0]], inv, scope, depth, `${name} -c`);
    } else if (has(scan, 's') || operands.length === 0) {
      this.stdinScript(inv, scope, depth, name);
    } else {
      this.scriptFile(operands[0], inv, scope, depth, name);
    }
  }

  /** A string a shell will parse: resolved, parsed and walked one level deeper. */
  private nested(words: readonly Word[], inv: Invocation, scope: Scope, depth: number, how: string, remote = false): void {
    const parts: string[] = [];
    for (const w of words) {
      const v = resolve(w, inv.vars);
      if (v === null) {
        this.opaque.push({ why: `\`${how}\` runs a string that is only known when it runs`, raw: inv.raw });
        return;
      }
      parts.push(v);
    }
    const child = scope.fork(inv.stdin);
    child.cwd = remote ? null : inv.cwd;
    child.remote = scope.remote || remote;
    this.walkText(parts.join(' '), child, depth, [...inv.via, how]);
  }

  private walkText(text: string, scope: Scope, depth: number, via: readonly string[]): void {
    this.nestedChars += text.length;
    if (this.nestedChars > MAX_NESTED_CHARS) throw new Unanalysable('the command expands to more nested scripts than theguard analyses');
    this.script(parseShell(text, depth + 1), scope, depth + 1, via);
  }

  private stdinScript(inv: Invocation, scope: Scope, depth: number, name: string): void {
    const input = inv.stdin;
    if (input.kind === 'text') this.walkText(input.text, scope.fork({ kind: 'none' }), depth, [...inv.via, `${name} <<`]);
    else if (input.kind === 'file') this.scriptFile(input.word, inv, scope, depth, `${name} <`);
    else if (input.kind === 'stream') this.opaque.push({ why: `${name} runs a script piped from \`${short(input.from)}\`, which theguard cannot see`, raw: inv.raw });
  }

  /**
   * A script file the command runs. Read and analysed when it can be located; a file
   * written earlier in the same command, or one that exists but cannot be read, is
   * unseen code. A file that does not exist runs nothing.
   */
  private scriptFile(word: Word | undefined, inv: Invocation, scope: Scope, depth: number, how: string): void {
    if (!word || inv.remote) return;
    const ref = wordPath(word, inv.cwd, inv.vars, this.opts.home);
    if (ref.kind !== 'path') {
      this.opaque.push({ why: `\`${how}\` runs a script whose location is only known when it runs`, raw: inv.raw });
      return;
    }
    if (inv.writtenEarlier.has(ref.path)) {
      this.opaque.push({ why: `\`${how}\` runs ${ref.path}, which the same command writes first`, raw: inv.raw });
      return;
    }
    if (++this.files > MAX_FILES) throw new Unanalysable('the command runs more script files than theguard reads');
    const read = this.opts.readFile(ref.path);
    if (read.kind === 'missing') return;
    if (read.kind === 'unreadable') {
      this.opaque.push({ why: `\`${how}\` runs ${ref.path}, and ${read.why}`, raw: inv.raw });
      return;
    }
    const child = scope.fork({ kind: 'none' });
    child.cwd = inv.cwd;
    try {
      this.walkText(read.text, child, depth, [...inv.via, `${how} ${ref.path}`]);
    } catch (err) {
      if (!(err instanceof Unanalysable)) throw err;
      this.inline.push({ interpreter: `${how} (${err.why})`, text: read.text, raw: inv.raw });
    }
  }

  private evalArgs(inv: Invocation, scope: Scope, depth: number): void {
    const args = inv.argv.slice(1);
    if (args.length > 0 && args.every((w) => resolve(w, inv.vars) !== null || printsEnvironment(w))) {
      const known = args.filter((w) => resolve(w, inv.vars) !== null);
      if (known.length === args.length) this.nested(args, inv, scope, depth, 'eval');
      return;
    }
    if (args.length > 0) this.opaque.push({ why: '`eval` runs a string that is only known when it runs', raw: inv.raw });
  }

  /** `find ... -exec CMD {} ;` runs CMD once per file; `{}` is a file the analyser does not know. */
  private findExec(inv: Invocation, scope: Scope, depth: number): void {
    const argv = inv.argv;
    for (let i = 1; i < argv.length; i++) {
      const flag = literal(argv[i] as Word);
      if (flag !== '-exec' && flag !== '-execdir' && flag !== '-ok' && flag !== '-okdir') continue;
      const words: Word[] = [];
      const found = foundFile(argv);
      for (i++; i < argv.length; i++) {
        const t = literal(argv[i] as Word);
        if (t === ';' || t === '+') break;
        words.push(t === '{}' ? found : t !== null && t.includes('{}') ? { parts: [{ t: 'dyn', what: 'found file' }], raw: t, subs: [] } : (argv[i] as Word));
      }
      if (words.length === 0) continue;
      const child = scope.fork({ kind: 'none' });
      child.cwd = flag.endsWith('dir') ? null : inv.cwd;
      const cmd: SimpleCommand = { kind: 'simple', assignments: [], words, redirects: [], raw: words.map((w) => w.raw).join(' ') };
      this.simple(cmd, child, depth + 1, [...inv.via, `find ${flag}`], { kind: 'none' });
    }
  }

  /**
   * `fd PATTERN -x CMD ARGS` (`-X`, `--exec`, `--exec-batch`) runs CMD on what it finds:
   * its placeholders (`{}`, `{/}`, `{.}`, ...) are unknown files, and with none the file
   * is appended.
   */
  private fdExec(inv: Invocation, scope: Scope, depth: number): void {
    const argv = inv.argv;
    const found = (raw: string): Word => ({ parts: [{ t: 'dyn', what: 'found file' }], raw, subs: [] });
    for (let i = 1; i < argv.length; i++) {
      const flag = literal(argv[i] as Word);
      if (flag !== '-x' && flag !== '-X' && flag !== '--exec' && flag !== '--exec-batch') continue;
      const words: Word[] = [];
      for (i++; i < argv.length && literal(argv[i] as Word) !== ';'; i++) {
        const t = literal(argv[i] as Word);
        words.push(t !== null && /\{[^{}]*\}/.test(t) ? found(t) : (argv[i] as Word));
      }
      if (words.length === 0) continue;
      if (!words.some((w) => w.parts.some((p) => p.t === 'dyn' && p.what === 'found file'))) words.push(found('{}'));
      const child = scope.fork({ kind: 'none' });
      const cmd: SimpleCommand = { kind: 'simple', assignments: [], words, redirects: [], raw: words.map((w) => w.raw).join(' ') };
      this.simple(cmd, child, depth + 1, [...inv.via, `${inv.name} ${flag}`], { kind: 'none' });
    }
  }

  /**
   * `git NAME`, where NAME is not one of git's own commands, may be an alias: from
   * `-c alias.NAME=...`, from a `git config alias.NAME VALUE` earlier in the same line, or
   * from any config file git may read (git-config.ts). Every definition is walked, not
   * only the one git would pick: `alias.p = push` runs `git push ...`, `alias.x = !cmd`
   * runs a shell command at the top of the work tree. Definitions theguard cannot read
   * make the command opaque.
   */
  private gitAlias(inv: Invocation, scope: Scope, depth: number): void {
    const g = gitGlobals(inv.argv);
    const sub = literal(inv.argv[g.index] ?? litWord(''));
    if (sub === 'config') this.noteAliasConfig(inv.argv.slice(g.index + 1), inv.vars);
    if (sub === 'init' || sub === 'clone') this.noteTemplate(inv, g);
    if (!sub || GIT_BUILTINS.has(sub)) return;
    const name = sub.toLowerCase();
    // git refuses an alias that expands to itself again ("alias loop detected"): nothing runs.
    if (this.aliasChain.has(name)) return;
    const found = this.aliasDefinitions(inv, scope, g, sub);
    if (!found) return;
    const rest = inv.argv.slice(g.index + 1).map((w) => w.raw).join(' ');
    const env = inv.env.flatMap((e) => (e.value ? [`${e.name}=${e.value.raw}`] : [])).join(' ');
    const head = inv.argv.slice(0, g.index).map((w) => w.raw).join(' ');
    const chain = this.aliasChain;
    const inherited = this.inherited;
    for (const value of found.values) {
      const shell = value.startsWith('!');
      // A shell alias is a new process (`sh -c`): a git it runs starts a fresh alias chain,
      // and gets this git's `-c` settings (git passes them on in GIT_CONFIG_PARAMETERS).
      this.aliasChain = shell ? new Set() : new Set([...chain, name]);
      if (shell) this.inherited = found.settings;
      try {
        if (shell) this.nested([litWord(`${value.slice(1)} ${rest}`)], { ...inv, cwd: found.top }, scope, depth, `git alias ${sub}`);
        else this.nested([litWord(`${env} ${head} ${value} ${rest}`)], inv, scope, depth, `git alias ${sub}`);
      } finally {
        this.aliasChain = chain;
        this.inherited = inherited;
      }
    }
  }

  /** `git config [--global] [set] alias.p push`: for a `git p` later in the same line. */
  private noteAliasConfig(args: readonly Word[], vars: Vars): void {
    const set = configWrite(args);
    if (!set || (set.key !== null && !set.key.startsWith('alias.'))) return;
    const name = set.key === null ? '*' : set.key.slice(6);
    this.lineAliases.set(name, [...(this.lineAliases.get(name) ?? []), resolve(set.value, vars)]);
  }

  /** `git init --template=DIR`, `git clone --template DIR`: the new repository's config is a copy of DIR/config. */
  private noteTemplate(inv: Invocation, g: ReturnType<typeof gitGlobals>): void {
    const scan = scanAll(inv.argv, g.index + 1, { long: ['template'], short: 'bcjmor' });
    const dirs = [...(scan.values.get('template') ?? [])];
    for (const c of g.configs) if (/^init\.templatedir=/i.test(literal(c) ?? 'init.templatedir=')) dirs.push(litWord((literal(c) ?? '').replace(/^[^=]*=/, '')));
    for (const d of dirs) {
      const dir = literal(d) === '' ? null : dirPath(d, inv.cwd, inv.vars, this.opts.home);
      if (dir === null) this.lineAliases.set('*', [null]);
      else this.templates.push(join(dir, 'config'));
    }
  }

  private aliasDefinitions(inv: Invocation, scope: Scope, g: ReturnType<typeof gitGlobals>, sub: string): { values: string[]; top: string; settings: Setting[] } | null {
    const opaque = (why: string) => {
      this.opaque.push({ why: `\`git ${sub}\` may be a git alias, and ${why}`, raw: inv.raw });
      return null;
    };
    const name = sub.toLowerCase();
    const values: string[] = [];
    const own = configSettings(g, inv.vars).map((c) => ({ key: c.key, value: c.value && resolve(c.value, inv.vars) }));
    const settings = [...this.inherited, ...own];
    for (const c of settings) {
      if (c.key === null) return opaque('its `-c` configuration is only known when it runs');
      if (c.key.startsWith('include')) return opaque('its `-c` configuration includes a file');
      if (c.key !== `alias.${name}`) continue;
      if (c.value === null) return opaque('its `-c` or `--config-env` value is only known when it runs');
      values.push(c.value);
    }
    for (const v of [...(this.lineAliases.get(name) ?? []), ...(this.lineAliases.get('*') ?? [])]) {
      if (v === null) return opaque('an earlier `git config` or `git init` in the same command sets aliases theguard cannot read');
      values.push(v);
    }
    const from = this.configSources(inv, scope, g);
    if (typeof from === 'string') return opaque(from);
    const written = (f: string) => [...this.written].some((w) => f === w || f.startsWith(`${w}/`));
    const lookup = aliasValues(sub, from.files, { home: this.opts.home, readFile: this.opts.readFile, written });
    if (lookup.unknown) return opaque(lookup.unknown);
    return { values: [...values, ...lookup.values], top: from.top, settings };
  }

  /**
   * The config files the git of `inv` may read, and the top of its work tree (where a
   * shell alias runs); or why they cannot be known. The hook's environment and what the
   * command line sets (inline, or earlier in the line) are both read.
   */
  private configSources(inv: Invocation, scope: Scope, g: ReturnType<typeof gitGlobals>): { files: string[]; top: string } | string {
    let dir = inv.cwd;
    for (const d of g.dirs) dir = dir === null && literal(d)?.startsWith('/') !== true ? null : dirPath(d, dir, inv.vars, this.opts.home);
    if (dir === null || inv.remote) return 'theguard cannot tell which directory (and configuration) it runs in';
    // Set for this command (undefined: not set; null: set to something only known at run time).
    const set = (n: string): string | null | undefined => {
      const e = inv.env.find((x) => x.name === n && x.value !== null);
      if (e?.value) return resolve(e.value, inv.vars);
      return scope.vars.has(n) ? (scope.vars.get(n) ?? null) : undefined;
    };
    if (g.elsewhere || ['GIT_DIR', 'GIT_COMMON_DIR', 'GIT_WORK_TREE'].some((n) => set(n) !== undefined)) return 'it runs in a repository named by --git-dir, --work-tree or GIT_DIR';
    if (['GIT_CONFIG_PARAMETERS', 'GIT_CONFIG_COUNT'].some((n) => set(n) !== undefined || this.opts.env[n])) return 'git takes configuration from GIT_CONFIG_PARAMETERS or GIT_CONFIG_COUNT';
    const env = this.opts.env;
    const base = { home: this.opts.home, xdgConfigHome: env.XDG_CONFIG_HOME, global: env.GIT_CONFIG_GLOBAL, system: env.GIT_CONFIG_SYSTEM };
    const over = { home: set('HOME'), xdgConfigHome: set('XDG_CONFIG_HOME'), global: set('GIT_CONFIG_GLOBAL'), system: set('GIT_CONFIG_SYSTEM') };
    if (Object.values(over).includes(null)) return 'the command sets where git reads its configuration (HOME, XDG_CONFIG_HOME, GIT_CONFIG_GLOBAL or GIT_CONFIG_SYSTEM) to a value only known when it runs';
    const changed = { home: over.home ?? base.home, xdgConfigHome: over.xdgConfigHome ?? base.xdgConfigHome, global: over.global ?? base.global, system: over.system ?? base.system };
    const repos = reposAt(dir, this.opts.readFile);
    return { files: [...configFiles(repos, [base, changed]), ...this.templates], top: repos[0]?.top ?? dir };
  }

  /**
   * Files a shell reads before its command, which run like `source FILE`: `BASH_ENV`
   * (every non-interactive bash, however deep: set on any command, or exported),
   * `bash --rcfile|--init-file FILE`, `ENV` for an interactive `sh -i`, and
   * `$ZDOTDIR/.zshenv` and `.zshrc` for zsh.
   */
  private startupFiles(inv: Invocation, scope: Scope, depth: number): void {
    const name = inv.name ?? '';
    const set = [...inv.env, ...(DECLARES.has(name) ? inv.argv.slice(1).flatMap((w) => splitAssignment(w) ?? []) : [])];
    const files: { word: Word; how: string }[] = [];
    for (const e of set) if (e.name === 'BASH_ENV' && e.value) files.push({ word: e.value, how: 'BASH_ENV' });
    if (SHELLS.has(name)) files.push(...this.shellStartup(inv, scope, name));
    for (const f of files) this.scriptFile(f.word, inv, scope, depth, f.how);
    // psql's startup files are read by the SQL rules; a name set twice earlier (`export
    // PSQLRC=a; export PSQLRC=b`) reads as unset there, so it is refused here.
    if (name === 'psql') {
      for (const n of ['PSQLRC', 'PGSYSCONFDIR']) {
        if (!inv.env.some((e) => e.name === n) && scope.vars.has(n) && scope.vars.get(n) === null) this.opaque.push({ why: `psql reads the startup file named by ${n}, which is only known when it runs`, raw: inv.raw });
      }
    }
  }

  private shellStartup(inv: Invocation, scope: Scope, name: string): { word: Word; how: string }[] {
    const files: { word: Word; how: string }[] = [];
    const scan = scanOptions(inv.argv, 1, SHELL_OPTIONS);
    for (const opt of ['rcfile', 'init-file']) for (const w of scan.values.get(opt) ?? []) files.push({ word: w, how: `${name} --${opt}` });
    // Set inline, or earlier in the line (null: to something only known at run time).
    const env = (n: string): Word | null | undefined => {
      const e = inv.env.find((x) => x.name === n);
      if (e) return e.value;
      if (!scope.vars.has(n)) return undefined;
      const v = scope.vars.get(n);
      return typeof v === 'string' ? litWord(v) : null;
    };
    const posixEnv = has(scan, 'i') ? env('ENV') : undefined;
    if (posixEnv === null) this.opaque.push({ why: `\`${name} -i\` runs the file named by ENV, which is only known when it runs`, raw: inv.raw });
    else if (posixEnv) files.push({ word: posixEnv, how: `ENV for ${name} -i` });
    const zdot = name === 'zsh' ? env('ZDOTDIR') : undefined;
    if (zdot === null) this.opaque.push({ why: '`zsh` runs files from ZDOTDIR, which is only known when it runs', raw: inv.raw });
    else if (zdot) for (const f of ['.zshenv', '.zshrc']) files.push({ word: { ...zdot, parts: [...zdot.parts, { t: 'lit', s: `/${f}`, quoted: true }] }, how: `ZDOTDIR ${f}` });
    return files;
  }

  /**
   * `TF_CLI_ARGS_apply=-destroy terraform apply` runs `terraform apply -destroy`: terraform
   * (and tofu, and terraform under terragrunt) inserts `TF_CLI_ARGS` after its subcommand
   * (before everything when there is none) and `TF_CLI_ARGS_<subcommand>` after that
   * subcommand. The command with them folded in is checked too.
   */
  private terraformEnvArgs(inv: Invocation, scope: Scope): void {
    const set = new Map<string, Word | null>();
    for (const [name, v] of scope.vars) if (TF_CLI_ARGS.test(name)) set.set(name, v === null ? null : litWord(v));
    for (const e of inv.env) if (TF_CLI_ARGS.test(e.name)) set.set(e.name, e.value);
    if (set.size === 0) return;
    let argv = inv.argv;
    for (const [name, value] of set) {
      if (value === null) continue;
      const text = resolve(value, inv.vars);
      if (text === null) {
        this.opaque.push({ why: `${name} adds arguments to ${inv.name} that are only known when it runs`, raw: inv.raw });
        return;
      }
      const extra = text.replace(/['"\\]/g, '').split(/\s+/).filter(Boolean).map(litWord);
      const sub = name === 'TF_CLI_ARGS' ? argv.findIndex((w, i) => i > 0 && !(literal(w) ?? '-').startsWith('-')) : argv.findIndex((w, i) => i > 0 && `TF_CLI_ARGS_${(literal(w) ?? '').replace(/[- ]/g, '_')}` === name);
      if (name !== 'TF_CLI_ARGS' && sub === -1) continue;
      const at = sub === -1 ? 1 : sub + 1;
      argv = [...argv.slice(0, at), ...extra, ...argv.slice(at)];
    }
    if (argv !== inv.argv) this.push({ ...inv, argv });
  }

  /** `git -c core.pager=CMD log`, `git config core.fsmonitor CMD`: commands git runs from its settings. */
  private gitSettings(inv: Invocation, scope: Scope, depth: number): void {
    for (const c of gitCommands(inv.argv, inv.vars)) {
      if (c.text === null) this.opaque.push({ why: `\`${c.how}\` sets a command git runs, and it is only known when it runs`, raw: inv.raw });
      else this.nested([c.text], inv, scope, depth, c.how);
    }
  }

  /**
   * `git rebase -x CMD`, `git bisect run CMD`, `git submodule foreach CMD`, ...: commands
   * git runs from its arguments. One that runs in a submodule or a temporary checkout
   * gets an unknown directory, so a `git push` there is gated like one from an unknown
   * repository (its pre-push hook may not be theguard's).
   */
  private gitRunsCommands(inv: Invocation, scope: Scope, depth: number): void {
    for (const r of gitRuns(inv.argv)) {
      const at = r.elsewhere ? { ...inv, cwd: null } : inv;
      if (r.words.length === 1) {
        this.nested(r.words, at, scope, depth, r.how);
        continue;
      }
      const child = scope.fork({ kind: 'none' });
      child.cwd = at.cwd;
      const cmd: SimpleCommand = { kind: 'simple', assignments: [], words: r.words, redirects: [], raw: r.words.map((w) => w.raw).join(' ') };
      this.simple(cmd, child, depth + 1, [...inv.via, r.how], { kind: 'none' });
    }
  }

  /**
   * `GIT_SSH_COMMAND=CMD git fetch`, `export GIT_PAGER=CMD`, `EDITOR=CMD git commit`:
   * variables whose value git runs as a command, analysed like `bash -c CMD`.
   */
  private commandVariables(inv: Invocation, scope: Scope, depth: number): void {
    const isGit = inv.name === 'git';
    const set = [...inv.env, ...(inv.name !== null && DECLARES.has(inv.name) ? inv.argv.slice(1).flatMap((w) => splitAssignment(w) ?? []) : [])];
    for (const e of set) {
      if (e.value && commandEnv(e.name, isGit || inv.setsShellVars || DECLARES.has(inv.name ?? ''))) this.nested([bare(e.value)], inv, scope, depth, e.name);
    }
  }

  private ssh(inv: Invocation, scope: Scope, depth: number): void {
    const scan = scanOptions(inv.argv, 1, { short: 'BbcDEeFIiJLlmOopQRSWw' });
    const remote = inv.argv.slice(scan.index + 1);
    if (remote.length > 0) this.nested(remote, inv, scope, depth, 'ssh', true);
  }

  /**
   * `docker exec CONTAINER CMD...`, `docker compose exec SERVICE CMD...`,
   * `kubectl exec POD -- CMD...`: the command runs elsewhere, like `ssh`.
   */
  private containerExec(inv: Invocation, scope: Scope, depth: number): void {
    const words = inv.argv.map((w) => literal(w));
    let i = 1;
    if (inv.name === 'kubectl' || inv.name === 'oc') {
      const dash = words.indexOf('--');
      if (words.indexOf('exec') === -1 || dash === -1) return;
      i = dash + 1;
    } else {
      if (words[1] === 'compose') i = 2;
      if (words[i] !== 'exec') return;
      const scan = scanOptions(inv.argv, i + 1, { short: 'euw', long: ['env', 'env-file', 'user', 'workdir', 'detach-keys', 'index'] });
      i = scan.index + 1;
    }
    const argv = inv.argv.slice(i);
    if (argv.length === 0) return;
    const child = scope.fork({ kind: 'none' });
    child.cwd = null;
    child.remote = true;
    const cmd: SimpleCommand = { kind: 'simple', assignments: [], words: argv, redirects: [], raw: argv.map((w) => w.raw).join(' ') };
    this.simple(cmd, child, depth + 1, [...inv.via, `${inv.name} exec`], inv.stdin);
  }

  /**
   * GNU sed's `e CMD` runs CMD; a bare `e` and the `e` flag of `s///` run the pattern
   * space, that is the input as the script changes it: the input files (or stdin) are
   * then read like a script, and the sed script itself checked for guarded words. A
   * script theguard cannot read is checked for guarded words only.
   */
  private sed(inv: Invocation, scope: Scope, depth: number): void {
    const scan = scanAll(inv.argv, 1, { short: 'efl', long: ['expression', 'file', 'line-length'] });
    const given = [...(scan.values.get('e') ?? []), ...(scan.values.get('expression') ?? [])];
    const files = [...(scan.values.get('f') ?? []), ...(scan.values.get('file') ?? [])];
    const operands = [...scan.operands];
    if (given.length === 0 && files.length === 0 && operands.length > 0) given.push(operands.shift() as Word);
    const scripts = given.map((w) => ({ word: w, text: resolve(w, inv.vars) }));
    for (const f of files) {
      const ref = wordPath(f, inv.cwd, inv.vars, this.opts.home);
      const read = ref.kind === 'path' && !inv.remote ? this.opts.readFile(ref.path) : null;
      scripts.push({ word: f, text: read?.kind === 'ok' ? read.text : null });
    }
    for (const { word, text } of scripts) {
      const runs = text === null ? null : sedRuns(text);
      for (const cmd of runs?.commands ?? []) this.nested([litWord(cmd)], inv, scope, depth, 'sed e');
      if (runs === null || runs.unknown || runs.input) this.inline.push({ interpreter: 'sed', text: text ?? approximate(word, inv.vars), raw: inv.raw });
      if (runs?.input) {
        if (operands.length === 0) this.stdinScript(inv, scope, depth, 'sed e');
        for (const f of operands) this.scriptFile(f, inv, scope, depth, 'sed e');
      }
    }
  }

  /**
   * `vim -c '!cmd'`, `vim +'!cmd'`, `vim --cmd`, and ex mode (`ex`, `vim -e`, `-es`)
   * reading commands on stdin: a `:!cmd` (`:r !cmd`, `:w !cmd`, `:%!cmd`) is walked as
   * a shell command; any other command (`:call system(...)`) is checked for guarded words.
   */
  private vim(inv: Invocation, scope: Scope, depth: number): void {
    const scan = scanAll(inv.argv, 1, { short: 'cSuUiTwWt', long: ['cmd', 'servername', 'startuptime', 'remote-send', 'remote-expr'] });
    const lines = [...(scan.values.get('c') ?? []), ...(scan.values.get('cmd') ?? []), ...(scan.values.get('remote-send') ?? []), ...(scan.values.get('remote-expr') ?? [])];
    for (const w of scan.operands) if ((literal(w) ?? '+').startsWith('+') && w.raw !== '+') lines.push(w);
    const commands: string[] = [];
    for (const w of lines) {
      const t = resolve(w, inv.vars);
      if (t === null) this.opaque.push({ why: `\`${inv.name}\` runs an editor command that is only known when it runs`, raw: inv.raw });
      else commands.push(t.replace(/^\+/, ''));
    }
    const exMode = inv.name === 'ex' || inv.name === 'nex' || scan.flags.has('e') || scan.flags.has('E');
    if (exMode && inv.stdin.kind === 'text') commands.push(...inv.stdin.text.split('\n'));
    else if (exMode && inv.stdin.kind === 'stream') this.opaque.push({ why: `${inv.name} runs editor commands piped from \`${short(inv.stdin.from)}\`, which theguard cannot see`, raw: inv.raw });
    for (const c of commands) this.editorCommand(c, inv, scope, depth);
  }

  private editorCommand(c: string, inv: Invocation, scope: Scope, depth: number): void {
    if (/^\d*$|^\/|^\?/.test(c.trim())) return;
    const shell = vimShell(c);
    if (shell) this.nested([litWord(shell)], inv, scope, depth, `${inv.name} !`);
    else this.inline.push({ interpreter: inv.name as string, text: c, raw: inv.raw });
  }

  /** `less +'!cmd' FILE`: less runs its `!` command through the shell at start. */
  private less(inv: Invocation, scope: Scope, depth: number): void {
    for (const w of inv.argv.slice(1)) {
      const t = literal(w);
      if (t === null ? w.raw.startsWith('+') : t.startsWith('+')) {
        const v = resolve(w, inv.vars);
        if (v === null) this.opaque.push({ why: '`less +` runs a command that is only known when it runs', raw: inv.raw });
        else if (/^\+\+?!/.test(v)) this.nested([litWord(v.replace(/^\+\+?!/, ''))], inv, scope, depth, 'less !');
      }
    }
  }

  /** `man -P CMD`, `MANPAGER=CMD man`, `PAGER=CMD man`: man runs its pager through the shell. */
  private man(inv: Invocation, scope: Scope, depth: number): void {
    const scan = scanAll(inv.argv, 1, { short: 'CMPrLmSseRETp', long: ['config-file', 'manpath', 'pager', 'prompt', 'locale', 'systems', 'sections', 'extension', 'recode', 'encoding', 'troff-device', 'preprocessor'] });
    for (const w of [...(scan.values.get('P') ?? []), ...(scan.values.get('pager') ?? [])]) this.nested([w], inv, scope, depth, 'man -P');
    for (const e of inv.env) if (e.value && e.name === 'PAGER') this.nested([e.value], inv, scope, depth, 'PAGER for man');
  }

  /** `at TIME` and `batch` run a shell script later: read from stdin, or `-f FILE`. */
  private atJob(inv: Invocation, scope: Scope, depth: number): void {
    const scan = scanOptions(inv.argv, 1, { short: 'qft' });
    if (has(scan, 'l', 'r', 'd', 'c', 'V')) return;
    const file = scan.values.get('f')?.[0];
    if (file) this.scriptFile(file, inv, scope, depth, `${inv.name} -f`);
    else this.stdinScript(inv, scope, depth, inv.name as string);
  }

  private trap(inv: Invocation, scope: Scope, depth: number): void {
    const scan = scanOptions(inv.argv, 1, {});
    const action = inv.argv[scan.index];
    if (action && inv.argv.length > scan.index + 1) this.nested([action], inv, scope, depth, 'trap');
  }

  private alias(inv: Invocation, scope: Scope, depth: number): void {
    for (const w of inv.argv.slice(1)) {
      const v = resolve(w, inv.vars);
      const eq = v?.indexOf('=') ?? -1;
      if (v !== null && eq > 0) this.nested([litWord(v.slice(eq + 1))], inv, scope, depth, 'alias');
    }
  }

  private awk(inv: Invocation): void {
    const scan = scanOptions(inv.argv, 1, AWK_OPTIONS);
    const program = inv.argv[scan.index];
    if (!has(scan, 'f', 'file') && program) this.inline.push({ interpreter: inv.name as string, text: approximate(program, inv.vars), raw: inv.raw });
  }

  /** Other languages: their code is not analysed, only checked for guarded words. */
  private interpreter(inv: Invocation): void {
    const name = inv.name as string;
    if ((name === 'deno' || name === 'bun') && literal(inv.argv[1] ?? litWord('')) === 'eval') {
      const code = inv.argv[2];
      if (code) this.inline.push({ interpreter: name, text: approximate(code, inv.vars), raw: inv.raw });
      return;
    }
    const spec = interpreterOf(name);
    if (!spec || name === 'deno') return;
    const scan = scanOptions(inv.argv, 1, spec.spec);
    const code = spec.code.flatMap((c) => scan.values.get(c) ?? []);
    if (code.length > 0) {
      for (const w of code) this.inline.push({ interpreter: name, text: approximate(w, inv.vars), raw: inv.raw });
      return;
    }
    if (spec.module && has(scan, ...spec.module)) return;
    const first = inv.argv[scan.index];
    if (first && literal(first) !== '-') return;
    const input = inv.stdin;
    if (input.kind === 'text') this.inline.push({ interpreter: name, text: input.text, raw: inv.raw });
    else if (input.kind === 'stream') this.opaque.push({ why: `${name} runs a program piped from \`${short(input.from)}\`, which theguard cannot see`, raw: inv.raw });
    else if (input.kind === 'file') {
      const ref = wordPath(input.word, inv.cwd, inv.vars, this.opts.home);
      const read = ref.kind === 'path' ? this.opts.readFile(ref.path) : null;
      if (read?.kind === 'ok') this.inline.push({ interpreter: name, text: read.text, raw: inv.raw });
    }
  }

  // ------------------------------------------------------------ state: stdin, writes, cd, variables

  private stdinOf(redirects: readonly Redirect[], upstream: Input, vars: Vars): Input {
    let input = upstream;
    for (const r of redirects) {
      if (r.fd !== null && r.fd !== 0) continue;
      if (r.op === '<' && r.target) input = { kind: 'file', word: r.target };
      else if ((r.op === '<<' || r.op === '<<-') && r.heredoc?.body) {
        const body = r.heredoc.body;
        input = { kind: 'text', text: body.raw, exact: body.parts.every((p) => p.t === 'lit') };
      } else if (r.op === '<<<' && r.target) {
        const exact = resolve(r.target, vars);
        input = { kind: 'text', text: `${exact ?? approximate(r.target, vars)}\n`, exact: exact !== null };
      }
    }
    return input;
  }

  private recordRedirectWrites(redirects: readonly Redirect[], cwd: string | null, vars: Vars): void {
    for (const r of redirects) {
      if (!r.target || r.op === '<' || r.op === '<<<' || r.op === '<&' || r.op === '>&') continue;
      const ref = wordPath(r.target, cwd, vars, this.opts.home);
      if (ref.kind === 'path') this.written.add(ref.path);
    }
  }

  /** Files this command writes, so a later command in the same line that reads them is known to read unseen content. */
  private recordWrites(inv: Invocation): void {
    this.recordRedirectWrites(inv.redirects, inv.cwd, inv.vars);
    const targets: Word[] = [];
    const operands = inv.argv.slice(1).filter((w) => !(literal(w) ?? '').startsWith('-'));
    if (inv.name === 'tee') targets.push(...operands);
    else if (['cp', 'mv', 'install', 'ln', 'rsync', 'scp'].includes(inv.name ?? '') && operands.length > 1) targets.push(operands[operands.length - 1] as Word);
    else if (inv.name === 'curl' || inv.name === 'wget') {
      const scan = scanOptions(inv.argv, 1, { short: 'oO', long: ['output', 'output-document'] });
      for (const v of [...scan.values.values()].flat()) targets.push(v);
    }
    const links = LINK_MAKERS.has(inv.name ?? '');
    for (const w of targets) {
      const ref = wordPath(w, inv.cwd, inv.vars, this.opts.home);
      if (ref.kind === 'path') this.written.add(ref.path);
      if (ref.kind === 'path' && links) this.linked.add(ref.path);
    }
  }

  private track(inv: Invocation, scope: Scope): void {
    const name = inv.name ?? '';
    if (name === 'cd' || name === 'pushd') {
      const scan = scanOptions(inv.argv, 1, {});
      const target = inv.argv[scan.index];
      const t = target ? literal(target) : null;
      scope.cwd = !target ? this.opts.home : t === '-' ? null : dirPath(target, scope.cwd, inv.vars, this.opts.home);
    } else if (name === 'popd') scope.cwd = null;
    else if (DECLARES.has(name)) {
      for (const w of inv.argv.slice(1)) {
        const a = splitAssignment(w);
        if (a) assign(scope, a.name, a.value, inv.vars);
      }
    } else if (POISONS.has(name) || name === 'printf') {
      for (const w of inv.argv.slice(1)) {
        const t = literal(w);
        if (t !== null && /^[A-Za-z_][A-Za-z0-9_]*$/.test(t)) scope.vars.set(t, null);
      }
    }
  }
}

/** A `-c KEY=VALUE` (or `--config-env KEY=VAR`), resolved: null where only known at run time. */
interface Setting {
  readonly key: string | null;
  readonly value: string | null;
}

function toEnv(a: Assignment): EnvChange {
  return { name: a.name, value: a.value };
}

/** The first assignment of a name with a known value makes it resolvable; any later one poisons it. */
function assign(scope: Scope, name: string, value: Word, vars: Vars): void {
  scope.vars.set(name, scope.vars.has(name) ? null : resolve(value, vars));
}

function splitAssignment(w: Word): { name: string; value: Word } | null {
  const first = w.parts[0];
  if (!first || first.t !== 'lit') return null;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.s);
  if (!m) return null;
  const rest = first.s.slice(m[0].length);
  return { name: m[1] as string, value: { parts: [...(rest ? [{ ...first, s: rest }] : []), ...w.parts.slice(1)], raw: w.raw, subs: w.subs } };
}

/** `"$(ssh-agent -s)"`: a word made only of substitutions of known environment printers. */
function printsEnvironment(w: Word): boolean {
  if (w.subs.length === 0 || w.parts.some((p) => p.t === 'param' || (p.t === 'dyn' && p.what !== 'command substitution'))) return false;
  return w.subs.every((s) =>
    s.items.every((item) => {
      const first = item.pipeline.commands[0];
      const head = first?.kind === 'simple' ? first.words[0] : undefined;
      const name = head ? literal(head) : null;
      return name !== null && ENV_PRINTERS.has(commandName(name));
    }),
  );
}

function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
}
