import type { SelfContext } from '../protect/bash.js';
import { join } from 'node:path';
import { findGitCommonDir } from '../lib/project.js';
import { protectedPaths } from '../protect/targets.js';
import type { DecisionContext } from './context.js';

/** The guarded paths for a context, computed once per context. */
const cache = new WeakMap<DecisionContext, SelfContext>();

export function selfContext(ctx: DecisionContext): SelfContext {
  let s = cache.get(ctx);
  if (!s) {
    s = {
      paths: protectedPaths({
        projectRoot: ctx.projectRoot,
        stateDir: ctx.stateDir,
        userConfigDirs: ctx.userConfigDirs,
        outboxDirs: ctx.outboxDirs,
        apiKeyFile: ctx.apiKeyFile,
        hooksPaths: ctx.hooksPaths,
        home: ctx.home,
        xdgConfigHome: ctx.xdgConfigHome,
        gitPrivateDirs: privateDirs(ctx.projectRoot),
      }),
      home: ctx.home,
      cliPaths: ctx.cliPaths,
    };
    cache.set(ctx, s);
  }
  return s;
}

function privateDirs(root: string): string[] {
  const common = findGitCommonDir(root);
  return common ? [join(common, 'theguard')] : [];
}
