import { execFileSync } from 'node:child_process';
import { createHash, createHmac, scryptSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GuardError } from '../src/core/errors.js';
import { loadKeys } from '../src/core/pepper.js';
import { checkVerifier, makeVerifier } from '../src/core/verifier.js';
import { guardIn, pushOp } from './helpers/guard.js';
import { LIB, ROOT, Sandbox, run } from './helpers/sandbox.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

describe('the pepper', () => {
  it('is 32 random bytes created on first use in $XDG_CONFIG_HOME/theguard, mode 600, directory 700', () => {
    sb = new Sandbox();
    const keys = loadKeys(sb.pepperPath);
    expect(keys.pepper.length).toBe(32);
    expect(statSync(sb.pepperPath).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(sb.pepperPath)).mode & 0o777).toBe(0o700);
    expect(loadKeys(sb.pepperPath).pepper.equals(keys.pepper)).toBe(true);
  });

  it('falls back to ~/.config/theguard when XDG_CONFIG_HOME is unset', async () => {
    sb = new Sandbox();
    const env = { ...sb.env, XDG_CONFIG_HOME: '' };
    const script = `import('${LIB}').then(async (m) => { const g = await m.createGuard(); g.getKeys(); console.log(g.getKeys().path); })`;
    const res = await run(process.execPath, ['-e', script], { cwd: sb.repo, env });
    expect(res.stderr).toBe('');
    expect(res.stdout.trim()).toBe(join(sb.env.HOME as string, '.config', 'theguard', 'pepper'));
  });

  it('is the same for processes that create it at the same moment', async () => {
    sb = new Sandbox();
    const script = `import('${LIB}').then(async (m) => { const g = await m.createGuard(); process.stdout.write(g.getKeys().keyId); })`;
    const results = await Promise.all(Array.from({ length: 12 }, () => run(process.execPath, ['-e', script], { cwd: sb.repo, env: sb.env })));
    const ids = new Set(results.map((r) => r.stdout));
    expect(results.every((r) => r.code === 0)).toBe(true);
    expect(ids.size).toBe(1);
  });

  it('is refused when others can read it, with the chmod fix', () => {
    sb = new Sandbox();
    loadKeys(sb.pepperPath);
    chmodSync(sb.pepperPath, 0o644);
    expect(failure(() => loadKeys(sb.pepperPath))).toMatch(/has mode 644; it must be 600\nFix: run: chmod 600 /);
  });

  it('is refused when it is a symlink, even to a valid pepper', () => {
    sb = new Sandbox();
    const real = join(sb.base, 'elsewhere');
    writeFileSync(real, Buffer.alloc(32, 7), { mode: 0o600 });
    mkdirSync(dirname(sb.pepperPath), { recursive: true, mode: 0o700 });
    symlinkSync(real, sb.pepperPath);
    expect(() => loadKeys(sb.pepperPath)).toThrow(/symlink/);
  });

  it('is refused when it has the wrong length (corrupt or replaced)', () => {
    sb = new Sandbox();
    mkdirSync(dirname(sb.pepperPath), { recursive: true, mode: 0o700 });
    writeFileSync(sb.pepperPath, 'short', { mode: 0o600 });
    expect(() => loadKeys(sb.pepperPath)).toThrow(/is 5 bytes, not 32/);
  });
});

describe('the pepper is never inside the project', () => {
  const gitIn = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { env: sb.env, stdio: 'ignore' });

  it('XDG_CONFIG_HOME pointing into the project is refused, with the fix, and nothing is created there', async () => {
    sb = new Sandbox();
    const inside = join(sb.repo, 'cfg');
    const res = await sb.cli(['exec', '--', 'true'], { env: { XDG_CONFIG_HOME: inside } });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`the pepper ${join(inside, 'theguard', 'pepper')} would be inside the project ${sb.repo}`);
    expect(res.stderr).toMatch(/Fix: keep it outside the project: unset XDG_CONFIG_HOME .* outside /);
    expect(existsSync(inside)).toBe(false);
    expect(sb.mails()).toHaveLength(0);
  });

  it('also through a symlink that leads into the project, and from the library', async () => {
    sb = new Sandbox();
    mkdirSync(join(sb.repo, 'cfg'));
    symlinkSync(join(sb.repo, 'cfg'), join(sb.base, 'looks-outside'));
    const script = `import('${LIB}').then(async (m) => { const g = await m.createGuard(); try { g.getKeys(); console.log('loaded'); } catch (e) { console.log(e.describe()); } })`;
    const res = await run(process.execPath, ['-e', script], { cwd: sb.repo, env: { ...sb.env, XDG_CONFIG_HOME: join(sb.base, 'looks-outside') } });
    expect(res.stdout).toMatch(/would be inside the project/);
    expect(existsSync(join(sb.repo, 'cfg', 'theguard'))).toBe(false);
  });

  it('a pepper inside the main work tree is refused when theguard runs in a linked worktree', async () => {
    sb = new Sandbox();
    gitIn(sb.repo, 'commit', '-q', '--allow-empty', '-m', 'init');
    const linked = join(sb.base, 'linked');
    gitIn(sb.repo, 'worktree', 'add', '-q', linked);
    const res = await sb.cli(['exec', '--', 'true'], { cwd: linked, env: { XDG_CONFIG_HOME: join(sb.repo, 'cfg') } });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`would be inside the project ${sb.repo}`);
    expect(existsSync(join(sb.repo, 'cfg'))).toBe(false);
    // The same worktree with the pepper outside works: a code goes out (exit 3).
    expect((await sb.cli(['exec', '--', 'true'], { cwd: linked })).code).toBe(3);
  });

  it('a project at the home directory (a dotfiles repository) still gets its pepper in ~/.config', async () => {
    sb = new Sandbox();
    const home = sb.env.HOME as string;
    execFileSync('git', ['init', '-q', home], { env: sb.env });
    const res = await sb.cli(['exec', '--', 'true'], { cwd: home, env: { XDG_CONFIG_HOME: '' } });
    expect(res.stderr).toMatch(/needs human approval/);
    expect(res.code).toBe(3);
    expect(existsSync(join(home, '.config', 'theguard', 'pepper'))).toBe(true);
  });
});

describe('verifiers', () => {
  const pepper = Buffer.alloc(32, 1);

  it('accept the right code and nothing else', async () => {
    const v = await makeVerifier('123456', pepper);
    expect(await checkVerifier('123456', pepper, v)).toBe(true);
    expect(await checkVerifier('123457', pepper, v)).toBe(false);
    expect(await checkVerifier('123456', Buffer.alloc(32, 2), v)).toBe(false);
  });

  it('use scrypt with N >= 2^15, r = 8 and a 16-byte salt, and do not contain the code', async () => {
    const v = await makeVerifier('123456', pepper);
    expect(v.N).toBeGreaterThanOrEqual(2 ** 15);
    expect(v.r).toBe(8);
    expect(Buffer.from(v.salt, 'base64url').length).toBe(16);
    expect(JSON.stringify(v)).not.toContain('123456');
    const again = await makeVerifier('123456', pepper);
    expect(again.salt).not.toBe(v.salt);
    expect(again.hash).not.toBe(v.hash);
  });

  it('refuse stored parameters that were weakened', async () => {
    const v = await makeVerifier('123456', pepper);
    await expect(checkVerifier('123456', pepper, { ...v, N: 1024 })).rejects.toThrow(/outside the allowed range/);
    await expect(checkVerifier('123456', pepper, { ...v, r: 1 })).rejects.toThrow(/outside the allowed range/);
  });

  it('stored on disk are exactly scrypt(HMAC-SHA256(pepper, code), salt) with the stored parameters, recomputed here independently', async () => {
    sb = new Sandbox();
    const r = await guardIn(sb).request(pushOp());
    expect(r.status).toBe('sent');
    const code = sb.lastCode(); // as the human reads it in the email
    const pendingDir = join(sb.stateDir, 'pending');
    const stored = JSON.parse(readFileSync(join(pendingDir, readdirSync(pendingDir)[0] as string), 'utf8')) as { verifier: { N: number; r: number; p: number; salt: string; hash: string } };
    const { N, r: blockSize, p, salt, hash } = stored.verifier;
    expect(N).toBeGreaterThanOrEqual(2 ** 15);
    expect(blockSize).toBe(8);
    const saltBytes = Buffer.from(salt, 'base64url');
    expect(saltBytes.length).toBe(16);
    const pepper = readFileSync(sb.pepperPath);
    const maxmem = 256 * N * blockSize * p;
    const derive = (secret: Buffer | string) => scryptSync(secret, saltBytes, 32, { N, r: blockSize, p, maxmem }).toString('base64url');
    expect(derive(createHmac('sha256', pepper).update(code, 'utf8').digest())).toBe(hash);
    // Constructions that are close but not the specified one do not match.
    expect(derive(code)).not.toBe(hash);
    expect(derive(createHmac('sha256', code).update(pepper).digest())).not.toBe(hash);
    expect(derive(createHash('sha256').update(Buffer.concat([pepper, Buffer.from(code)])).digest())).not.toBe(hash);
  });

  it('compare in constant time', () => {
    const src = readFileSync(join(ROOT, 'src/core/verifier.ts'), 'utf8');
    expect(src).toMatch(/timingSafeEqual\(actual, expected\)/);
  });
});

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return err instanceof GuardError ? err.describe() : String(err);
  }
  throw new Error('expected a failure');
}
