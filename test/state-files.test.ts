import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, Sandbox, run, wrongCode } from './helpers/sandbox.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

/** The built CLI under a umask that would leave everything world-readable, had theguard not set modes itself. */
const cliOpenUmask = (args: string[], input?: string) =>
  run('sh', ['-c', 'umask 000; exec "$0" "$@"', process.execPath, CLI, ...args], { cwd: sb.repo, env: sb.env, input });

const idIn = (stderr: string): string => {
  const id = stderr.match(/theguard verify ([a-z0-9]{8})/)?.[1];
  if (!id) throw new Error(`no id in: ${stderr}`);
  return id;
};

/** Every file and directory under `root`, with its permission bits. */
function modes(root: string): Map<string, number> {
  const out = new Map<string, number>([['.', lstatSync(root).mode & 0o777]]);
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const st = lstatSync(p);
      out.set(relative(root, p), st.mode & 0o777);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(root);
  return out;
}

describe('state files are private whatever the umask', () => {
  it('grants, lockouts, attempts, spent markers, sends, the audit log and head, quarantine, the outbox and the pepper: files 0600, directories 0700', async () => {
    sb = new Sandbox({ config: { push: { maxAttempts: 2 }, delete: { maxAttempts: 1 } } });
    // A grant, used once (spent/), then a grant left waiting (grants/).
    const a = idIn((await cliOpenUmask(['exec', '--tier', 'push', '--', 'true'])).stderr);
    expect((await cliOpenUmask(['verify', a], `${sb.lastCode()}\n`)).code).toBe(0);
    expect((await cliOpenUmask(['exec', '--tier', 'push', '--', 'true'])).code).toBe(0);
    const b = idIn((await cliOpenUmask(['exec', '--tier', 'push', '--', 'echo', 'b'])).stderr);
    expect((await cliOpenUmask(['verify', b], `${sb.lastCode()}\n`)).code).toBe(0);
    // One wrong guess at a push code (attempts/), and a delete-tier lockout (lockouts/).
    const c = idIn((await cliOpenUmask(['exec', '--tier', 'push', '--', 'echo', 'c'])).stderr);
    expect((await cliOpenUmask(['verify', c], `${wrongCode(sb.lastCode())}\n`)).code).toBe(4);
    const d = idIn((await cliOpenUmask(['exec', '--', 'echo', 'd'])).stderr);
    expect((await cliOpenUmask(['verify', d], `${wrongCode(sb.lastCode())}\n`)).code).toBe(4);
    // A torn pending file, which the next run moves to quarantine/.
    writeFileSync(join(sb.stateDir, 'pending', `${'0'.repeat(64)}.json`), '{"torn', { mode: 0o600 });
    expect((await cliOpenUmask(['status'])).code).toBe(0);

    const state = modes(sb.stateDir);
    const has = (re: RegExp) => [...state.keys()].filter((k) => re.test(k));
    for (const re of [/^grants\/[0-9a-f]{64}\.json$/, /^lockouts\/delete\.json$/, new RegExp(`^attempts/${c}\\.1$`), /^spent\/[\w-]{16}$/, /^sends\/\d{13}\./,
      /^audit\.jsonl$/, /^audit\.head$/, /^quarantine\/.+/, /^\.gitignore$/, /^pending\/[0-9a-f]{64}\.json$/]) {
      expect(has(re), String(re)).not.toEqual([]);
    }
    const dirs = [...state].filter(([k]) => lstatSync(join(sb.stateDir, k)).isDirectory());
    const files = [...state].filter(([k]) => !lstatSync(join(sb.stateDir, k)).isDirectory());
    expect(dirs.map(([k]) => k).sort()).toEqual(['.', 'attempts', 'grants', 'lockouts', 'pending', 'quarantine', 'sends', 'spent']);
    expect(dirs.filter(([, m]) => m !== 0o700)).toEqual([]);
    expect(files.filter(([, m]) => m !== 0o600)).toEqual([]);

    const outbox = modes(sb.outbox);
    expect(outbox.get('.')).toBe(0o700);
    expect([...outbox.keys()].filter((k) => k.endsWith('.eml'))).toHaveLength(4);
    expect([...outbox].filter(([k, m]) => k !== '.' && m !== 0o600)).toEqual([]);
    expect(lstatSync(sb.pepperPath).mode & 0o777).toBe(0o600);
    expect(lstatSync(dirname(sb.pepperPath)).mode & 0o777).toBe(0o700);
  });
});

describe("the state dir's .gitignore", () => {
  it('is written whole: a run that dies while writing it leaves none, and the next run writes it, so the state is never committed', async () => {
    sb = new Sandbox();
    // The file size limit makes every write of a byte fail: the process dies mid-write.
    const dying = await run('sh', ['-c', 'ulimit -f 0; exec "$0" "$@"', process.execPath, CLI, 'status'], { cwd: sb.repo, env: sb.env });
    expect(dying.code).not.toBe(0);
    const ignore = join(sb.stateDir, '.gitignore');
    if (existsSync(ignore)) expect(readFileSync(ignore, 'utf8')).toMatch(/^\*$/m); // whole, or not there at all
    expect((await sb.cli(['exec', '--', 'true'])).code).toBe(3);
    expect(readFileSync(ignore, 'utf8')).toBe('# theguard state: never commit it\n*\n');
    expect(lstatSync(ignore).mode & 0o777).toBe(0o600);
    const untracked = execFileSync('git', ['-C', sb.repo, 'status', '--porcelain', '--untracked-files=all'], { env: sb.env, encoding: 'utf8' });
    expect(untracked).toBe('');
  });

  it('one left empty or without its "*" line (an older version torn mid-write) is written again', async () => {
    sb = new Sandbox();
    expect((await sb.cli(['status'])).code).toBe(0);
    writeFileSync(join(sb.stateDir, '.gitignore'), '', { mode: 0o600 });
    expect((await sb.cli(['exec', '--', 'true'])).code).toBe(3);
    expect(readFileSync(join(sb.stateDir, '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    expect(execFileSync('git', ['-C', sb.repo, 'status', '--porcelain', '--untracked-files=all'], { env: sb.env, encoding: 'utf8' })).toBe('');
  });
});
