import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { LIB, ROOT, type Sandbox } from './sandbox.js';

/**
 * Start `n` real processes, wait until every one has loaded and is ready, then release
 * them all at once and collect what each one did.
 */
export async function race(sb: Sandbox, n: number, args: string[]): Promise<string[]> {
  const children = Array.from({ length: n }, () =>
    spawn(process.execPath, [join(ROOT, 'test/helpers/racer.mjs'), LIB, ...args], { cwd: sb.repo, env: sb.env, stdio: ['pipe', 'pipe', 'pipe'] }),
  );
  const outputs = children.map(() => ({ out: '', err: '' }));
  const ready = children.map(
    (c, i) =>
      new Promise<void>((resolve, reject) => {
        c.stdout.on('data', (d: Buffer) => {
          outputs[i]!.out += d.toString();
          if (outputs[i]!.out.startsWith('ready\n')) resolve();
        });
        c.stderr.on('data', (d: Buffer) => (outputs[i]!.err += d.toString()));
        c.on('exit', (code) => reject(new Error(`racer ${i} exited (${code}) before it was ready: ${outputs[i]!.err}`)));
      }),
  );
  const done = children.map((c) => new Promise<number | null>((resolve) => c.on('close', resolve)));
  await Promise.all(ready);
  for (const c of children) c.stdin.write('go\n');
  const codes = await Promise.all(done);
  codes.forEach((code, i) => {
    if (code !== 0) throw new Error(`racer ${i} failed (${code}): ${outputs[i]!.err}`);
  });
  return outputs.map((o) => o.out.slice('ready\n'.length).trim());
}

export function tally(results: string[]): Record<string, number> {
  const t: Record<string, number> = {};
  for (const r of results) t[r] = (t[r] ?? 0) + 1;
  return t;
}

/**
 * Like race(), for many rounds with the same processes: before each round `setup` runs,
 * then every process is released at once and does one thing. Racers in "rounds" mode
 * answer each "go" with one line and leave on "end". Returns each round's answers.
 */
export async function raceRounds(sb: Sandbox, n: number, rounds: number, args: string[], setup: (round: number) => void): Promise<string[][]> {
  const children = Array.from({ length: n }, () =>
    spawn(process.execPath, [join(ROOT, 'test/helpers/racer.mjs'), LIB, ...args], { cwd: sb.repo, env: sb.env, stdio: ['pipe', 'pipe', 'pipe'] }),
  );
  const lines: string[][] = children.map(() => []);
  const waiting: (() => void)[] = children.map(() => () => {});
  const errs = children.map(() => '');
  let failed: Error | null = null;
  children.forEach((c, i) => {
    let buf = '';
    c.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        lines[i]!.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        waiting[i]!();
      }
    });
    c.stderr.on('data', (d: Buffer) => (errs[i] += d.toString()));
    c.on('exit', (code) => {
      if (code !== 0) failed ??= new Error(`racer ${i} exited (${code}): ${errs[i]}`);
      waiting[i]!();
    });
  });
  const lineCount = (k: number) =>
    Promise.all(
      children.map(
        (_, i) =>
          new Promise<void>((resolve, reject) => {
            const check = (): void => {
              if (failed) reject(failed);
              else if (lines[i]!.length >= k) resolve();
            };
            waiting[i] = check;
            check();
          }),
      ),
    );
  await lineCount(1); // "ready"
  const results: string[][] = [];
  for (let r = 0; r < rounds; r++) {
    setup(r);
    for (const c of children) c.stdin.write('go\n');
    await lineCount(r + 2);
    results.push(lines.map((l) => l[r + 1] as string));
  }
  const closed = children.map((c) => new Promise<void>((resolve) => (c.exitCode !== null ? resolve() : c.on('close', () => resolve()))));
  for (const c of children) c.stdin.end('end\n');
  await Promise.all(closed);
  if (failed) throw failed;
  return results;
}
