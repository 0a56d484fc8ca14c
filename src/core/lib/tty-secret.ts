import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { ReadStream } from 'node:tty';

/**
 * Read a secret from the controlling terminal (/dev/tty) with echo off, for a hook
 * whose stdin is not the human's keyboard (git feeds the pre-push hook its refs there).
 * Only when stderr is a terminal too: that is a human's shell. An agent's tool runs
 * with pipes (Claude Code runs Bash commands without a controlling terminal), and
 * then the hook must print instructions instead of waiting on a terminal.
 */
export type TtyAnswer =
  | { readonly status: 'entered'; readonly text: string }
  | { readonly status: 'empty' }
  | { readonly status: 'timeout' }
  | { readonly status: 'cancelled' };

const TTY = '/dev/tty';
const O_NOCTTY = constants.O_NOCTTY ?? 0;

export function humanAtTerminal(stderrIsTty: boolean = process.stderr.isTTY === true): boolean {
  if (!stderrIsTty) return false;
  try {
    closeSync(openSync(TTY, constants.O_RDWR | O_NOCTTY));
    return true;
  } catch {
    return false;
  }
}

/** Write a line to the controlling terminal (prompts belong with the prompt, not in a log). */
export function writeTty(text: string): void {
  const fd = openSync(TTY, constants.O_WRONLY | O_NOCTTY);
  try {
    writeSync(fd, text.replace(/(?<!\r)\n/g, '\r\n'));
  } finally {
    closeSync(fd);
  }
}

export function readSecretOnTty(prompt: string, timeoutMs: number): Promise<TtyAnswer> {
  const fd = openSync(TTY, constants.O_RDWR | O_NOCTTY);
  writeSync(fd, prompt);
  const input = new ReadStream(fd);
  input.setRawMode(true);
  input.setEncoding('utf8');
  return new Promise((resolve) => {
    let buf = '';
    let done = false;
    const finish = (answer: TtyAnswer): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      input.off('data', onData);
      input.setRawMode(false);
      writeSync(fd, '\r\n');
      input.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => finish({ status: 'timeout' }), Math.max(0, timeoutMs));
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish(buf === '' ? { status: 'empty' } : { status: 'entered', text: buf });
        if (ch === '\u0003' || (ch === '\u0004' && buf === '')) return finish({ status: 'cancelled' });
        if (ch === '\u007f' || ch === '\b') buf = buf.slice(0, -1);
        else if (ch === '\u0015') buf = '';
        else if (ch >= ' ' && buf.length < 64) buf += ch;
      }
    };
    input.on('data', onData);
    input.on('error', () => finish({ status: 'cancelled' }));
  });
}
