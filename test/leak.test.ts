import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { filesUnder as files } from './helpers/leaks.js';
import { type RunResult, Sandbox } from './helpers/sandbox.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());


describe('the code reaches the human and nothing else', () => {
  it('across request, wrong guess, verify, consume and status: only the outbox ever holds it', async () => {
    sb = new Sandbox({ config: { email: { to: 'jane@example.com' } } });
    const outputs: RunResult[] = [];
    const cli = async (args: string[], input?: string) => {
      const r = await sb.cli(args, input === undefined ? {} : { input });
      outputs.push(r);
      return r;
    };
    await cli(['exec', '--tier', 'push', '--', 'sh', '-c', 'echo done > done.txt']);
    const code = sb.lastCode();
    await cli(['exec', '--tier', 'push', '--', 'sh', '-c', 'echo done > done.txt']); // retry while pending
    await cli(['verify'], `${String((Number(code) + 1) % 1e6).padStart(6, '0')}\n`);
    await cli(['status']);
    await cli(['status', '--json']);
    const ok = await cli(['verify'], `${code}\n`);
    expect(ok.code).toBe(0);
    await cli(['exec', '--tier', 'push', '--', 'sh', '-c', 'echo done > done.txt']);
    await cli(['audit']);
    await cli(['audit', '--json']);
    await cli(['audit', '--verify']);
    expect(readFileSync(join(sb.repo, 'done.txt'), 'utf8')).toBe('done\n');

    const re = new RegExp(`(?<!\\d)${code}(?!\\d)`);
    outputs.forEach((o, i) => {
      expect(o.stdout, `stdout of command ${i}`).not.toMatch(re);
      expect(o.stderr, `stderr of command ${i}`).not.toMatch(re);
    });
    // Everything on disk: the project (state dir and audit log included), the user's config dir (pepper).
    const holders = [...files(sb.repo), ...files(join(sb.base, 'config')), ...files(join(sb.base, 'home'))]
      .filter((f) => re.test(f.text))
      .map((f) => f.path);
    expect(holders).toEqual([]);
    // ...and the outbox, which is where it is meant to be.
    expect(files(sb.outbox).filter((f) => re.test(f.text))).toHaveLength(1);
  });
});
