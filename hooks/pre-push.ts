/**
 * The git pre-push hook. Git runs it with the remote's name and URL as arguments and
 * one line per ref update on stdin. It exits 0 only when the push may go on; every
 * other path, an unexpected exception included, stops the push (fail closed).
 *
 *   pre-push.js [--chain <hook> | --chain-sh <script>] [--] <remote> <url>
 *   pre-push.js --args-fd <n>         (lefthook: the remote and URL arrive on fd n, see below)
 *   pre-push.js --self-check          (theguard doctor: does this install load and run?)
 */
import { readFileSync } from 'node:fs';
import { currentActor } from '../src/core/audit.js';
import { type Chained, runChained } from '../src/core/git/chain.js';
import { PUSH_EXIT, guardPush } from '../src/core/git/push-guard.js';
import { MAX_INPUT_BYTES } from '../src/core/git/ref-updates.js';
import { GuardError, describeError } from '../src/core/errors.js';
import { CoreGuard } from '../src/core/guard.js';
import { loadConfig } from '../src/config/load.js';

const say = (line: string): void => void process.stderr.write(`${line}\n`);

process.exitCode = PUSH_EXIT.ERROR;
process.on('uncaughtException', (err) => {
  say(`theguard: push stopped by an internal error: ${describeError(err)}`);
  process.exit(PUSH_EXIT.ERROR);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    say(`theguard: push stopped: ${describeError(err)}`);
    process.exitCode = PUSH_EXIT.ERROR;
  },
);

async function main(argv: string[]): Promise<number> {
  if (argv.length === 1 && argv[0] === '--self-check') return selfCheck();
  const { chained, remote, url } = parseArgs(argv);
  const refs = await readStdin();
  if (chained) {
    const status = runChained(chained, [remote, url], refs);
    if (status !== 0) {
      say(`theguard: push stopped: the pre-push hook that runs before theguard failed (exit ${status}); no code was sent.`);
      return status;
    }
  }
  const { config, root } = await loadConfig({ cwd: process.cwd() });
  return guardPush(
    { remote, url, refs: refs.toString('utf8'), cwd: process.cwd() },
    { config, say, guard: () => new CoreGuard({ config, root, actor: currentActor('hook:pre-push') }) },
  );
}

function parseArgs(argv: string[]): { chained: Chained | null; remote: string; url: string } {
  if (argv[0] === '--args-fd') {
    if (argv.length !== 2 || !/^[3-9]$/.test(argv[1] ?? '')) throw usage('--args-fd takes one descriptor number (3 to 9) and nothing else');
    return { chained: null, ...argsFromFd(Number(argv[1])) };
  }
  let chained: Chained | null = null;
  let rest = argv;
  if (rest[0] === '--chain' || rest[0] === '--chain-sh') {
    if (!rest[1]) throw usage(`${rest[0]} needs a path`);
    chained = { kind: rest[0] === '--chain' ? 'exec' : 'sh', path: rest[1] };
    rest = rest.slice(2);
  }
  if (rest[0] === '--') rest = rest.slice(1);
  const [remote, url] = rest;
  if (rest.length !== 2 || !remote || !url) throw usage(`expected the remote name and URL from git, got ${rest.length} argument(s)`);
  return { chained, remote, url };
}

/**
 * lefthook's entry hands over git's two arguments in a here-document on fd `fd` (lefthook
 * would paste them into shell code unquoted): the remote name, the URL, and the
 * configuration file lefthook's {files} template named, one per line. Anything else,
 * such as a line break inside the remote or URL cutting the here-document short, is
 * refused: those arguments cannot be read back exactly.
 */
function argsFromFd(fd: number): { remote: string; url: string } {
  let text: string;
  try {
    text = readFileSync(fd, 'utf8');
  } catch (err) {
    throw usage(`cannot read git's arguments on descriptor ${fd}: ${describeError(err)}`);
  }
  const lines = text.split('\n');
  const [remote, url, anchor] = lines;
  if (lines.length !== 4 || lines[3] !== '' || !remote || !url || !anchor) {
    throw new GuardError('usage', `the remote name and URL did not arrive intact through lefthook (expected 3 lines on descriptor ${fd}, got ${lines.length - 1})`,
      'push to a remote whose name and URL hold no line break; if lefthook.yml was edited, run `theguard init` again');
  }
  return { remote, url };
}

function usage(what: string): GuardError {
  return new GuardError('usage', `the pre-push hook was called wrongly: ${what}`, 'let `git push` run it; reinstall it with `theguard init` if the hook file was edited');
}

/** Git's ref list, whole: it is read once, and a chained hook gets the same bytes. */
function readStdin(): Promise<Buffer> {
  if (process.stdin.isTTY) {
    return Promise.reject(new GuardError('usage', 'the pre-push hook reads the ref list from git on stdin, and stdin is a terminal', 'let `git push` run it'));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    process.stdin.on('data', (d: Buffer) => {
      size += d.length;
      if (size > MAX_INPUT_BYTES) {
        process.stdin.destroy();
        reject(new GuardError('usage', `the ref list on stdin is larger than ${MAX_INPUT_BYTES} bytes`, 'push fewer refs at a time'));
        return;
      }
      chunks.push(d);
    });
    process.stdin.on('end', () => resolve(Buffer.concat(chunks)));
    process.stdin.on('error', (err) => reject(new GuardError('usage', `cannot read the ref list on stdin: ${err.message}`, 'let `git push` run the hook')));
  });
}

async function selfCheck(): Promise<number> {
  const { file } = await loadConfig({ cwd: process.cwd() });
  process.stdout.write(`theguard pre-push hook: ready (configuration: ${file ?? 'embedded defaults'})\n`);
  return PUSH_EXIT.ALLOW;
}
