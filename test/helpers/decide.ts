import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Rule, RuleAction } from '../../src/core/config.js';
import { type ContextOptions, type DecisionContext, decisionContext } from '../../src/core/decide/index.js';

/**
 * A project and a home in a temp dir, and decision contexts over them. Files are
 * written relative to the sandbox base ("proj/x", "home/.config/...").
 */
export class DecideWorld {
  readonly base = mkdtempSync(join(tmpdir(), 'theguard-decide-'));
  readonly proj = join(this.base, 'proj');
  readonly home = join(this.base, 'home');

  constructor(files: Record<string, string> = {}) {
    this.write({ 'proj/.git/HEAD': 'ref: refs/heads/feature/x\n', 'home/.keep': '', ...files });
  }

  write(files: Record<string, string>): void {
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(dirname(join(this.base, rel)), { recursive: true });
      writeFileSync(join(this.base, rel), text);
    }
  }

  ctx(o: { rules?: Rule[]; mcpDefault?: RuleAction; cwd?: string } & Partial<Omit<ContextOptions, 'config' | 'cwd'>> = {}): DecisionContext {
    return decisionContext({
      projectRoot: this.proj,
      env: { HOME: this.home },
      tempDirs: ['/var/tmp'],
      prePushHook: true,
      ...o,
      cwd: o.cwd ?? this.proj,
      config: { stateDir: join(this.proj, '.theguard'), rules: o.rules ?? [], mcpDefault: o.mcpDefault ?? 'verify' },
    });
  }

  cleanup(): void {
    rmSync(this.base, { recursive: true, force: true });
  }
}
