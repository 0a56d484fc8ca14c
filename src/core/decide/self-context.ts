import type { SelfContext } from '../protect/bash.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findGitCommonDir, findMainWorkTree } from '../lib/project.js';
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
      configPackageJsons: configPackageJsons(ctx.projectRoot),
    };
    cache.set(ctx, s);
  }
  return s;
}

/**
 * The package.json files the hook's configuration search reads (the project root's and
 * the main checkout's), where no .theguard.json comes before them. A write there whose
 * content theguard cannot see (`cp x.json package.json`, `mv tmp package.json`) could
 * add a "theguard" key, so it is refused; the Edit tool is checked key by key instead.
 */
function configPackageJsons(root: string): string[] {
  const dirs = [...new Set([root, findMainWorkTree(root)])];
  return dirs.filter((d) => !existsSync(join(d, '.theguard.json'))).map((d) => join(d, 'package.json'));
}

function privateDirs(root: string): string[] {
  const common = findGitCommonDir(root);
  return common ? [join(common, 'theguard')] : [];
}
