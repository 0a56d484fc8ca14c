import { describe, expect, it } from 'vitest';
import { parseShell } from '../src/core/shell/parser.js';
import type { Command, Script, SimpleCommand, Word } from '../src/core/shell/syntax.js';
import { Unanalysable } from '../src/core/shell/unanalysable.js';
import { approximate, isPattern, literal } from '../src/core/shell/words.js';

/** Every simple command in execution order, nested scripts included, as arrays of word values. */
function commands(src: string): string[][] {
  const out: string[][] = [];
  const script = (s: Script) => s.items.forEach((i) => i.pipeline.commands.forEach(command));
  const word = (w: Word) => w.subs.forEach(script);
  const command = (c: Command) => {
    if (c.kind === 'simple') {
      c.words.forEach(word);
      c.assignments.forEach((a) => word(a.value));
      c.redirects.forEach((r) => {
        if (r.target) word(r.target);
        if (r.heredoc?.body) word(r.heredoc.body);
      });
      out.push(c.words.map((w) => approximate(w).replace(/\u0000/g, '<?>')));
    } else script(c.body);
  };
  script(parseShell(src));
  return out;
}

function only(src: string): SimpleCommand {
  const c = parseShell(src).items[0]?.pipeline.commands[0];
  if (!c || c.kind !== 'simple') throw new Error('not a simple command');
  return c;
}

const words = (src: string) => only(src).words.map((w) => literal(w));

describe('quotes and escapes', () => {
  it('removes quotes the way the shell does', () => {
    expect(words(`echo 'a b' "c d" e\\ f`)).toEqual(['echo', 'a b', 'c d', 'e f']);
    expect(words(`r''m -rf x`)).toEqual(['rm', '-rf', 'x']);
    expect(words(`g"i"t push`)).toEqual(['git', 'push']);
    expect(words(`\\rm x`)).toEqual(['rm', 'x']);
  });

  it('keeps backslashes inside single quotes and handles the double-quote escapes', () => {
    expect(words(`echo 'a\\b' "x\\"y" "\\$HOME" "a\\b"`)).toEqual(['echo', 'a\\b', 'x"y', '$HOME', 'a\\b']);
  });

  it('decodes $\'...\' (ANSI-C) strings, including hex, octal and unicode escapes', () => {
    expect(words(`$'\\x72\\x6d' $'\\162m' $'\\u0072m' $'a\\tb' $'it\\'s'`)).toEqual(['rm', 'rm', 'rm', 'a\tb', "it's"]);
  });

  it('treats $"..." as a double-quoted string', () => {
    expect(words(`echo $"hello world"`)).toEqual(['echo', 'hello world']);
  });

  it('joins lines continued with a backslash', () => {
    expect(words('git re\\\nset --hard')).toEqual(['git', 'reset', '--hard']);
  });

  it('ends a word at a comment only at the start of a word', () => {
    expect(commands('ls # rm -rf /')).toEqual([['ls']]);
    expect(words('echo a#b')).toEqual(['echo', 'a#b']);
  });

  it('marks unquoted glob characters, not quoted ones; a lone [ is the test command', () => {
    expect(isPattern(only('ls *.ts').words[1] as Word)).toBe(true);
    expect(isPattern(only('ls "*.ts"').words[1] as Word)).toBe(false);
    expect(isPattern(only('ls {a,b}').words[1] as Word)).toBe(true);
    expect(isPattern(only('[ -f x ]').words[0] as Word)).toBe(false);
  });
});

describe('lists, pipelines and groups', () => {
  it('splits on ; && || | & |& and newlines', () => {
    expect(commands('a; b && c || d | e & f |& g\nh')).toEqual([['a'], ['b'], ['c'], ['d'], ['e'], ['f'], ['g'], ['h']]);
  });

  it('parses subshells and brace groups, with redirects after them', () => {
    expect(commands('(cd /; rm -rf x) > log; { a; b; } 2>&1')).toEqual([['cd', '/'], ['rm', '-rf', 'x'], ['a'], ['b']]);
  });

  it('treats `}` as an argument unless it ends a group', () => {
    expect(commands('echo }')).toEqual([['echo', '}']]);
  });

  it('reads if/while/until/for bodies as the commands they run', () => {
    expect(commands('if a; then b; elif c; then d; else e; fi')).toEqual([['a'], ['b'], ['c'], ['d'], ['e'], []]);
    expect(commands('for f in $(ls); do rm "$f"; done')).toEqual([['ls'], ['for', 'f', 'in', '<?>'], ['rm', '<?>'], []]);
    expect(commands('while read l; do echo "$l"; done < list')).toEqual([['read', 'l'], ['echo', '<?>'], []]);
    expect(commands('! grep -q x f')).toEqual([['grep', '-q', 'x', 'f']]);
  });

  it('parses case statements: every branch may run', () => {
    expect(commands('case "$1" in start|go) run;; stop) halt;& *) other;;& esac')).toEqual([['case', '<?>', 'start', 'go', 'stop', '*'], ['run'], ['halt'], ['other']]);
  });

  it('parses function definitions, whose bodies are analysed', () => {
    expect(commands('f() { git push; }; f')).toEqual([['git', 'push'], ['f']]);
    expect(commands('function g { rm x; }')).toEqual([['rm', 'x']]);
    expect(commands('function h() ( ls )')).toEqual([['ls']]);
  });

  it('parses [[ ]] and (( )) without taking their operators for shell operators', () => {
    expect(commands('[[ -f a && ( -d b || x < y ) ]] && ok')).toEqual([['[[', '-f', 'a', '&&', '(', '-d', 'b', '||', 'x', '<', 'y', ')', ']]'], ['ok']]);
    expect(commands('(( i++ )) && for ((i=0; i<3; i++)); do x; done')).toEqual([['((', '<?>'], ['for', '<?>'], ['x'], []]);
  });
});

describe('expansions', () => {
  it('parses $( ), backquotes and process substitutions, nested', () => {
    expect(commands('echo $(a $(b) `c`) <(d) >(e)')).toEqual([['b'], ['c'], ['a', '<?>', '<?>'], ['d'], ['e'], ['echo', '<?>', '<?>', '<?>']]);
  });

  it('parses substitutions inside ${...} and $(( ))', () => {
    expect(commands('echo ${X:-$(a)} $(( $(b) + 1 ))')).toEqual([['a'], ['b'], ['echo', '<?>', '<?>']]);
  });

  it('falls back from $(( to a command substitution of a subshell, as bash does', () => {
    expect(commands('echo $((rm -rf x) )')).toEqual([['rm', '-rf', 'x'], ['echo', '<?>']]);
  });

  it('keeps $NAME and ${NAME} as parameters, and the rest as unknown', () => {
    const w = only('echo $HOME ${USER} $1 $@').words;
    expect(w.slice(1).map((x) => x.parts[0]?.t)).toEqual(['param', 'param', 'dyn', 'dyn']);
  });
});

describe('assignments and redirects', () => {
  it('separates leading NAME=value assignments from the command', () => {
    const c = only('A=1 B="x y" C+=2 git push D=4');
    expect(c.assignments.map((a) => [a.name, literal(a.value)])).toEqual([['A', '1'], ['B', 'x y'], ['C', '2']]);
    expect(c.words.map((w) => literal(w))).toEqual(['git', 'push', 'D=4']);
  });

  it('accepts array assignments', () => {
    expect(commands('arr=(a "$(b)" c); local -a x=(1 2)')).toEqual([['b'], [], ['local', '-a', 'x=<?>']]);
  });

  it('parses every redirect operator, with file descriptors', () => {
    const ops = only('cmd <in >out >>app 2>err 2>&1 &>both &>>both2 <>rw >|clob 3<&0 <<<str').redirects.map((r) => `${r.fd ?? ''}${r.op}${r.target ? literal(r.target) : ''}`);
    expect(ops).toEqual(['<in', '>out', '>>app', '2>err', '2>&1', '&>both', '&>>both2', '<>rw', '>|clob', '3<&0', '<<<str']);
  });

  it('reads heredoc bodies, quoted or not, with <<- stripping tabs, several per line', () => {
    const c = only("cat <<A <<-'B'\n$(x) one\nA\n\t\ttwo\n\tB\n");
    const [a, b] = c.redirects.map((r) => r.heredoc);
    expect(a?.quoted).toBe(false);
    expect(a?.body?.raw).toBe('$(x) one\n');
    expect(a?.body?.subs.length).toBe(1);
    expect(b?.quoted).toBe(true);
    expect(b?.body?.raw).toBe('two\n');
  });

  it('runs the substitutions of an unquoted heredoc body, not of a quoted one', () => {
    expect(commands('cat <<EOF\n$(rm -rf x)\nEOF')).toEqual([['rm', '-rf', 'x'], ['cat']]);
    expect(commands("cat <<'EOF'\n$(rm -rf x)\nEOF")).toEqual([['cat']]);
  });

  it('reads a heredoc inside a command substitution, and one that ends at end of input', () => {
    expect(commands('x=$(cat <<EOF\nhello\nEOF\n); echo "$x"')).toEqual([['cat'], [], ['echo', '<?>']]);
    expect(only('cat <<EOF\nno end').redirects[0]?.heredoc?.body?.raw).toBe('no end\n');
  });
});

describe('what it refuses to guess', () => {
  it.each([
    ['echo "unterminated', 'an unterminated double quote'],
    ["echo 'unterminated", 'an unterminated single quote'],
    ['echo `x', 'an unterminated backquote'],
    ['echo $(x', "missing a closing ')'"],
    ['echo ${x', 'an unterminated ${...}'],
    ['(ls', "missing a closing ')'"],
    ['{ ls', "missing a closing '}'"],
    ['case x in a) ls;;', 'missing a closing esac'],
    ['coproc ls', '`coproc` is not analysed'],
    ['ls @(a|b)', "an unexpected '('"],
    ['ls )', "an unexpected ')'"],
    ['ls >', "a redirect '>' without a target"],
    [';;', "an unexpected ';'"],
    ['ls ;; ls', "unexpected ';;' outside a case statement"],
  ])('%s', (src, why) => {
    expect(() => parseShell(src)).toThrow(Unanalysable);
    expect(() => parseShell(src)).toThrow(why);
  });
});
