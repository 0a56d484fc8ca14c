import { join, relative } from 'node:path';
import { displayPath } from './config-file.js';
import type { Installer } from './installer.js';

/**
 * Keep the state dir out of git. (It also holds its own `.gitignore` of `*`; this line
 * makes the intent visible at the root, where people look.)
 */
const COMMENT = '# theguard state: clearances, grants, audit log (added by theguard init)';

export const gitignoreInstaller: Installer = {
  name: 'gitignore',
  async install(ctx) {
    const { config } = await ctx.config();
    const rel = relative(ctx.repo.root, config.stateDir).split('\\').join('/');
    if (!rel || rel.startsWith('..') || rel.startsWith('/')) return;
    const path = join(ctx.repo.root, '.gitignore');
    const current = ctx.files.read(path) ?? '';
    const forms = new Set([rel, `${rel}/`, `/${rel}`, `/${rel}/`]);
    if (current.split('\n').some((l) => forms.has(l.trim()))) {
      ctx.say(`gitignore: ${displayPath(ctx.repo.root, path)} already ignores ${rel}/`);
      return;
    }
    const sep = current === '' || current.endsWith('\n') ? '' : '\n';
    ctx.files.write(this.name, path, `${current}${sep}${COMMENT}\n/${rel}/\n`, ctx.files.modeOf(path, 0o644));
    ctx.say(`gitignore: added /${rel}/ to .gitignore`);
  },
  unpatch(_change, content) {
    const lines = content.split('\n');
    const i = lines.indexOf(COMMENT);
    if (i < 0) return null;
    lines.splice(i, 2);
    return lines.join('\n');
  },
};
