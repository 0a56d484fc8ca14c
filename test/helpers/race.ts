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
