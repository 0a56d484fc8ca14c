import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, Sandbox, run } from './helpers/sandbox.js';

let scratch: string | undefined;
let sb: Sandbox | undefined;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  sb?.cleanup();
  scratch = undefined;
  sb = undefined;
});

/** A project elsewhere that depends on theguard: node_modules/theguard is this (built) package. */
function consumer(): string {
  scratch = mkdtempSync(join(tmpdir(), 'theguard-consumer-'));
  mkdirSync(join(scratch, 'node_modules'));
  symlinkSync(ROOT, join(scratch, 'node_modules', 'theguard'), 'dir');
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  return scratch;
}

describe("import ... from 'theguard'", () => {
  it('resolves by package name through package.json "exports", and the library works from there', async () => {
    const dir = consumer();
    sb = new Sandbox();
    writeFileSync(join(dir, 'app.mjs'), `
      import { createGuard, fingerprintOf, KDF_DEFAULTS, configJsonSchema } from 'theguard';
      import { createRequire } from 'node:module';
      const pkg = createRequire(import.meta.url)('theguard/package.json');
      const out = { resolved: import.meta.resolve('theguard'), schema: import.meta.resolve('theguard/schema.json'), name: pkg.name, N: KDF_DEFAULTS.N, hasSchema: typeof configJsonSchema };
      try { await import('theguard/dist/cli.js'); } catch (e) { out.deepImport = e.code; }
      const op = { tier: 'push', action: 'consumer.test', summary: 'from a consumer', params: { n: 1 } };
      out.fp = fingerprintOf(op);
      const guard = await createGuard({ cwd: process.argv[2] });
      out.request = (await guard.request(op)).status;
      console.log(JSON.stringify(out));
    `);
    const res = await run(process.execPath, [join(dir, 'app.mjs'), sb.repo], { cwd: dir, env: sb.env });
    expect(res.stderr).toBe('');
    const out = JSON.parse(res.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      resolved: pathToFileURL(join(ROOT, 'dist/index.js')).href,
      schema: pathToFileURL(join(ROOT, 'schema/theguard.schema.json')).href,
      name: 'theguard',
      N: 65536,
      hasSchema: 'function',
      deepImport: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
      fp: expect.stringMatching(/^[0-9a-f]{64}$/),
      request: 'sent',
    });
    expect(sb.mails()).toHaveLength(1);
  });

  it('its types resolve by package name too (TypeScript, moduleResolution nodenext)', async () => {
    const dir = consumer();
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['app.ts'] }));
    const app = (status: string) => `
      import { createGuard, type Guard, type RequestOutcome } from 'theguard';
      const guard: Guard = await createGuard();
      const r: RequestOutcome = await guard.request({ tier: 'push', action: 'a', summary: 's', params: {} });
      const s: '${status}' | 'pending' | 'granted' | 'locked' | 'limited' = r.status;
      export { s };
    `;
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    writeFileSync(join(dir, 'app.ts'), app('sent'));
    const ok = await run(process.execPath, [tsc, '-p', dir], { cwd: dir, env: process.env });
    expect(ok.stdout + ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    // The types are really read: a status the library never returns is an error.
    writeFileSync(join(dir, 'app.ts'), app('emailed'));
    const bad = await run(process.execPath, [tsc, '-p', dir], { cwd: dir, env: process.env });
    expect(bad.stdout).toMatch(/app\.ts.*error TS2322/);
  });
});
