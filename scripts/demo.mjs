#!/usr/bin/env node
// npm run demo: theguard's main job on the embedded default (the file outbox), with no
// email account. A scratch repository with a bare remote on disk gets the real pre-push
// hook from `theguard init`; an "agent" runs a plain `git push` to main and is stopped;
// the code goes to the outbox; the "human" types it into `theguard verify`; the same
// push then goes through, once.
//
// Everything lives in a temporary directory with its own config and state dirs, so
// your real ~/.config/theguard is not touched. Pass --keep to leave it for inspection.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const keep = process.argv.includes('--keep');

const base = mkdtempSync(join(tmpdir(), 'theguard-demo-'));
const repo = join(base, 'project');
const remote = join(base, 'origin.git');
const env = {
  ...process.env,
  XDG_CONFIG_HOME: join(base, 'config'),
  XDG_STATE_HOME: join(base, 'state'),
  GIT_AUTHOR_NAME: 'Demo',
  GIT_AUTHOR_EMAIL: 'demo@example.com',
  GIT_COMMITTER_NAME: 'Demo',
  GIT_COMMITTER_EMAIL: 'demo@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  // Your own ~/.gitconfig stays out of it (a global core.hooksPath, for one).
  GIT_CONFIG_GLOBAL: join(base, 'gitconfig'),
};
const outbox = join(base, 'state', 'theguard', 'outbox');

const say = (s = '') => process.stdout.write(`${s}\n`);
const indent = (s) => s.trimEnd().replace(/^/gm, '     ');
const git = (...args) => execFileSync('git', args, { cwd: repo, env, encoding: 'utf8' }).trim();
const remoteHead = () => execFileSync('git', ['--git-dir', remote, 'rev-parse', '--short', 'refs/heads/main'], { env, encoding: 'utf8' }).trim();

function show(shown, cmd, args, input) {
  say(`   $ ${shown}${input ? '   (the human types the code)' : ''}`);
  const res = spawnSync(cmd, args, { cwd: repo, env, input: input ?? '', encoding: 'utf8' });
  const out = `${res.stderr}${res.stdout}`;
  if (out.trim()) say(indent(out));
  say(`     -> exit ${res.status}`);
  return res.status;
}
const theguard = (args, input) => show(`theguard ${args.join(' ')}`, process.execPath, [CLI, ...args], input);
const push = () => show('git push origin main', 'git', ['push', 'origin', 'main']);

function expect(cond, what) {
  if (!cond) {
    say(`\nDEMO FAILED: ${what}`);
    say(`(scratch files kept in ${base})`);
    process.exit(1);
  }
}

say('theguard demo: a protected push waits for a code that only the human receives.');
say(`Scratch world: ${base}`);
say('  (a project, a bare remote on disk, private config and outbox dirs; email is the local "file" outbox)');
say();

writeFileSync(env.GIT_CONFIG_GLOBAL, '');
execFileSync('git', ['init', '-q', '--bare', '-b', 'main', remote], { env });
execFileSync('git', ['init', '-q', '-b', 'main', repo], { env });
git('remote', 'add', 'origin', remote);
writeFileSync(join(repo, 'README.md'), '# project\n');
git('add', '.');
git('commit', '-q', '-m', 'first commit');
git('push', '-q', 'origin', 'main');

say('0. The human sets theguard up in the repository (once):');
let code = theguard(['init', '--email', 'you@example.com', '--yes']);
expect(code === 0, 'theguard init failed');
say();

writeFileSync(join(repo, 'app.js'), 'console.log("v2");\n');
git('add', '.');
git('commit', '-q', '-m', 'ship v2');
const before = remoteHead();

say('1. The agent pushes to main with plain git; the pre-push hook stops it:');
code = push();
expect(code !== 0, 'the push was not stopped');
expect(remoteHead() === before, 'the remote moved without approval');
say(`     The remote's main is still ${before}: nothing was pushed.`);
say();

const mails = readdirSync(outbox).filter((n) => n.endsWith('.eml')).sort();
const mail = readFileSync(join(outbox, mails[mails.length - 1]), 'utf8');
const emailed = mail.match(/Your theguard code: (\d{6})/)?.[1];
expect(emailed, 'no code arrived in the outbox');
say('2. The code arrived by "email" (the file outbox stands in for your inbox):');
say(`     ${join(outbox, mails[mails.length - 1])}`);
say(`     ${mail.match(/^Subject: .*$/m)?.[0]}`);
say(`     Your theguard code: ${emailed}`);
say('     In real use this is your inbox, on a device the agent cannot read. The file outbox');
say('     is INSECURE (an agent running as you could read it); it exists for demos and tests.');
say();

say('3. The human approves in their own terminal:');
code = theguard(['verify'], `${emailed}\n`);
expect(code === 0, 'verify did not approve the right code');
say();

say('4. The agent retries the same push; it goes through, once:');
code = push();
const after = remoteHead();
expect(code === 0 && after !== before, 'the approved push did not go through');
say(`     The remote's main moved ${before} -> ${after}.`);
say();

say('5. Another push needs a new code: the approval was single-use.');
writeFileSync(join(repo, 'app.js'), 'console.log("v3");\n');
git('commit', '-q', '-am', 'ship v3');
code = push();
expect(code !== 0 && remoteHead() === after, 'a second push went through without a new code');
say();

say('6. Everything was recorded, in a tamper-evident log:');
theguard(['audit']);
code = theguard(['audit', '--verify']);
expect(code === 0, 'the audit log did not verify');
say();

say('Demo complete: one protected push, stopped, approved out of band, allowed exactly once.');
if (keep) say(`Scratch files kept in ${base}`);
else rmSync(base, { recursive: true, force: true });
