import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { GuardError } from '../../core/errors.js';
import { executable as isExecutable, lefthookHookInstalled } from '../../core/git/pre-push-installed.js';
export { isExecutable, lefthookHookInstalled };
import { displayPath } from './config-file.js';
import { type HookLayout, detectLayout } from './git-repo.js';
import { CHAINED_FROM_GIT, CHAINED_NAME, HOOK_MARKER, hookFile } from './hook-file.js';
import { addHuskyBlock } from './husky.js';
import type { InstallContext, Installer } from './installer.js';
import { launcherPath, launcherScript } from './launcher.js';
import { LEFTHOOK_JOB, addLefthookEntry } from './lefthook.js';
import { removeBlock } from './marked-block.js';
import { type Before, type PrePushInstall, snapshot } from './record.js';
import { shQuote } from './sh-quote.js';

/**
 * The git pre-push hook: the launcher in theguard's private dir, plus the entry that
 * makes git run it, wherever this repository's hooks come from (git's hooks dir,
 * husky, lefthook). See docs/git.md.
 */
export interface HookTarget {
  /** The node binary that will run the hook (the one running `theguard init`). */
  readonly nodePath: string;
  /** theguard's built dist/hooks/pre-push.js. */
  readonly hookScript: string;
}

export function prePushInstaller(target: HookTarget): Installer {
  return {
    name: 'pre-push',
    async preflight({ repo, files }) {
      if (repo.hooksPath && repo.hooksPath.scope !== 'local' && repo.hooksPath.scope !== 'worktree') {
        throw new GuardError('usage', `core.hooksPath is set in your ${repo.hooksPath.scope} git config (${repo.hooksPath.value}), so hooks there run for every repository`,
          'set core.hooksPath for this repository only (`git config --local core.hooksPath <dir>`), or add theguard to that shared hook by hand (docs/git.md)');
      }
      if (!existsSync(target.hookScript)) {
        throw new GuardError('usage', `theguard's hook script ${target.hookScript} is missing`, 'build theguard first (`npm run build`), or reinstall it');
      }
      const layout = detectLayout(repo);
      // Editing a lefthook.yml can fail on its shape; find out before anything is written.
      if (layout.kind === 'lefthook') addLefthookEntry(files.read(layout.entry), basename(layout.entry));
    },
    async install(ctx) {
      const { repo, files } = ctx;
      const layout = detectLayout(repo);
      const launcher = launcherPath(repo.privateDir);
      files.write('pre-push', launcher, launcherScript(target.nodePath, target.hookScript), 0o755);
      const notes: string[] = [];
      const chained = layout.kind === 'hooks' ? installHookFile(ctx, layout.entry) : installInto(ctx, layout, notes);
      const install: PrePushInstall = { layout: layout.kind, hooksDir: repo.hooksDir, entry: layout.entry, launcher, chained };
      if (JSON.stringify(files.record.prePush) !== JSON.stringify(install)) {
        files.record.prePush = install;
        files.changed = true;
      }
      ctx.say(`pre-push hook: ${describe(layout, ctx)}`);
      if (chained) ctx.say(`  the earlier pre-push hook runs first: ${displayPath(repo.root, chained)}`);
      for (const note of notes) ctx.say(`  ${note}`);
      ctx.say(`  launcher: ${displayPath(repo.root, launcher)} (node ${target.nodePath})`);
      if (/[/\\]_npx[/\\]/.test(target.hookScript)) {
        ctx.say('  WARNING: theguard is running from npx\'s cache, which npm may clear; the hook would then stop every push.');
        ctx.say('  Fix: install theguard (`npm install -D theguard`, or -g), then run `theguard init` again.');
      }
      warnIfInactive(ctx, layout);
    },
    unpatch(_change, content) {
      // Our hook file, even with a changed mode or line, is still wholly ours.
      if (content.includes(HOOK_MARKER)) return 'restore';
      return removeBlock(content);
    },
  };
}

/** git's own hooks dir: our hook file, chaining whatever hook was there. Returns the chained hook's path. */
function installHookFile(ctx: InstallContext, entry: string): string | null {
  const { files, repo } = ctx;
  const current = files.read(entry);
  const ours = current?.includes(HOOK_MARKER) === true;
  if (!ours) files.forget(entry);
  const original: Before = ours ? (files.record.changes.find((c) => c.path === entry)?.before ?? { kind: 'absent' }) : snapshot(entry);
  let chainWord: string | null = null;
  let chained: string | null = null;
  if (original.kind === 'file' && (original.mode & 0o111) !== 0) {
    chained = join(repo.privateDir, CHAINED_NAME);
    // Bytes, not text: the earlier hook may be a compiled program.
    files.write('pre-push', chained, Buffer.from(original.data, 'base64'), original.mode);
    chainWord = CHAINED_FROM_GIT;
  } else if (original.kind === 'symlink') {
    const target = resolve(dirname(entry), original.target);
    if (isExecutable(target)) {
      chained = realpathSync(target);
      chainWord = shQuote(chained);
    }
  } else if (original.kind === 'file') {
    ctx.say('  note: the pre-push hook that was there is not executable, so git never ran it; it is not chained (uninstall puts it back)');
  }
  files.write('pre-push', entry, hookFile(chainWord), 0o755);
  return chained;
}

/** husky or lefthook: theguard's lines inside the file that tool reads. */
function installInto(ctx: InstallContext, layout: Exclude<HookLayout, { kind: 'hooks' }>, notes: string[]): null {
  const { files } = ctx;
  const current = files.read(layout.entry);
  const edit = layout.kind === 'husky' ? { text: addHuskyBlock(current), notes: [] } : addLefthookEntry(current, basename(layout.entry));
  files.write('pre-push', layout.entry, edit.text, files.modeOf(layout.entry, layout.kind === 'husky' ? 0o755 : 0o644));
  notes.push(...edit.notes);
  return null;
}

function describe(layout: HookLayout, ctx: InstallContext): string {
  const where = displayPath(ctx.repo.root, layout.entry);
  if (layout.kind === 'husky') return `added to ${where} (husky)`;
  if (layout.kind === 'lefthook') return `added the ${LEFTHOOK_JOB} job to ${where} (lefthook)`;
  return `installed ${where}${ctx.repo.hooksPath ? ' (core.hooksPath)' : ''}`;
}

function warnIfInactive(ctx: InstallContext, layout: HookLayout): void {
  if (layout.kind === 'husky' && !layout.active) {
    ctx.say('  WARNING: husky is not active in this clone (core.hooksPath is not set), so git does not run .husky/pre-push yet.');
    ctx.say('  Fix: run `npx husky` (or `npm install`, which runs husky through the prepare script).');
  }
  if (layout.kind === 'lefthook' && !lefthookHookInstalled(ctx.repo.hooksDir)) {
    ctx.say('  WARNING: lefthook\'s own pre-push hook is not installed, so git does not run lefthook yet.');
    ctx.say('  Fix: run `npx lefthook install`.');
  }
}

