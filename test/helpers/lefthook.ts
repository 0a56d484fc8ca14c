import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './sandbox.js';

/**
 * The real lefthook binary, installed once into node_modules/.cache with install
 * scripts off. It is not a devDependency on purpose: lefthook's postinstall runs
 * `lefthook install` in whatever project installs it, which would put lefthook's hooks
 * into theguard's own clone.
 */
const VERSION = '2.2.2';
const CACHE = join(ROOT, 'node_modules', '.cache', 'theguard-test-tools');

export function lefthookBinary(): string {
  const dir = join(CACHE, `lefthook-${VERSION}`);
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const bin = join(dir, 'node_modules', `lefthook-${os}-${process.arch}`, 'bin', 'lefthook');
  if (existsSync(bin)) return bin;
  mkdirSync(CACHE, { recursive: true });
  const tmp = mkdtempSync(join(CACHE, 'installing-'));
  execFileSync('npm', ['install', '--prefix', tmp, '--ignore-scripts', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `lefthook@${VERSION}`], { stdio: 'pipe' });
  try {
    renameSync(tmp, dir);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another run got there first
  }
  if (!existsSync(bin)) throw new Error(`lefthook ${VERSION} did not install a binary at ${bin}`);
  return bin;
}
