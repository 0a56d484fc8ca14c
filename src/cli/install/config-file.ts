import { join, relative } from 'node:path';
import { validateConfig } from '../../config/load.js';
import { maskEmail } from '../../core/lib/mask.js';
import { GuardError } from '../../core/errors.js';
import type { Installer } from './installer.js';

/**
 * A `.theguard.json` at the project root when no configuration exists yet: it holds
 * where codes go. An existing configuration (project or user level) is never touched.
 */
export const configFileInstaller: Installer = {
  name: 'config',
  async install(ctx) {
    const { file, config } = await ctx.config();
    if (file) {
      ctx.say(`config: kept ${displayPath(ctx.repo.root, file)} (codes go to ${maskEmail(config.email.to)})`);
      if (ctx.options.email && ctx.options.email !== config.email.to) {
        ctx.say(`  note: --email was not applied; edit ${displayPath(ctx.repo.root, file)} to change email.to`);
      }
      return;
    }
    const email = ctx.options.email ?? (ctx.options.interactive ? (await ctx.ask('Email address for theguard codes: ')).trim() : undefined);
    if (!email) {
      throw new GuardError('usage', 'theguard needs the address codes are sent to, and there is no configuration yet',
        'run `theguard init --email you@example.com` (or run it in a terminal to be asked)');
    }
    const content = { email: { provider: 'file', to: email } };
    const path = join(ctx.repo.root, '.theguard.json');
    validateConfig(content, { root: ctx.repo.root, env: process.env, file: '--email' });
    ctx.files.write(this.name, path, `${JSON.stringify(content, null, 2)}\n`, 0o644);
    ctx.say(`config: wrote .theguard.json (codes go to ${maskEmail(email)})`);
  },
};

export function displayPath(root: string, p: string): string {
  const rel = relative(root, p);
  return rel && !rel.startsWith('..') ? rel : p;
}
