import { createInterface } from 'node:readline/promises';
import { CliExit, EXIT } from './exit-codes.js';

/**
 * How a code gets from the human into theguard: typed at the terminal with echo off,
 * or one line of stdin when stdin is not a terminal. Never from argv or env: those are
 * visible to other processes and end up in shell history and agent transcripts.
 */
const MAX_INPUT = 1024;

export function isInteractive(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

export function readSecret(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return readLine(stdin);
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let buf = '';
    const finish = (err?: Error): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(buf);
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new CliExit(EXIT.CANCELLED, 'Cancelled.'));
        if (ch === '\u0004' && buf === '') return finish(new CliExit(EXIT.USAGE, 'No code entered.'));
        if (ch === '\u007f' || ch === '\b') buf = buf.slice(0, -1);
        else if (ch === '\u0015') buf = '';
        else if (ch >= ' ' && buf.length < 64) buf += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** The first line of a non-terminal stdin (a pipe or a file), capped in size. */
export function readLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const done = (): void => {
      stream.off('data', onData);
      stream.off('end', done);
      stream.off('error', onError);
      stream.pause();
      const nl = buf.indexOf('\n');
      resolve((nl >= 0 ? buf.slice(0, nl) : buf).replace(/\r$/, ''));
    };
    const onData = (chunk: Buffer | string): void => {
      buf += chunk.toString();
      if (buf.includes('\n') || buf.length > MAX_INPUT) done();
    };
    const onError = (err: Error): void => reject(err);
    stream.on('data', onData);
    stream.on('end', done);
    stream.on('error', onError);
    stream.resume();
  });
}

/** Ask the human to pick one of several items (echo on; this is not a secret). */
export async function choose(question: string, count: number): Promise<number> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(question)).trim();
    const n = Number(answer);
    if (!Number.isInteger(n) || n < 1 || n > count) throw new CliExit(EXIT.USAGE, `Expected a number from 1 to ${count}.`);
    return n - 1;
  } finally {
    rl.close();
  }
}

/** Ask for one line of plain text (echo on; for answers that are not secrets, such as an email address). */
export async function askLine(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}
