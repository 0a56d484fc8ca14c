import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, run } from './helpers/sandbox.js';

describe('npm run demo (the README promises it works on a fresh machine)', () => {
  it('stops a push, delivers the code to the outbox, verifies it, and lets the push through once', async () => {
    const res = await run(process.execPath, [join(ROOT, 'scripts/demo.mjs')], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/pre-push hook: installed \.git\/hooks\/pre-push/);
    expect(res.stdout).toMatch(/\$ git push origin main\n {5}theguard: push stopped: git push origin: update main\n[^]*?-> exit 1\n {5}The remote's main is still/);
    expect(res.stdout).toMatch(/Approved: git push origin: update main/);
    expect(res.stdout).toMatch(/theguard: approved: git push origin: update main \(the approval is now used up\)/);
    expect(res.stdout).toMatch(/The remote's main moved [0-9a-f]+ -> [0-9a-f]+\./);
    expect(res.stdout).toMatch(/Audit log intact/);
    expect(res.stdout).toMatch(/Demo complete/);
  });
});
