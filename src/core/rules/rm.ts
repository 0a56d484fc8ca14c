import type { Invocation } from '../shell/invocation.js';
import { posix } from 'node:path';
import { hasWildcard } from '../shell/glob.js';
import { physicalPath, wordPath } from '../shell/paths.js';
import type { Word } from '../shell/syntax.js';
import { HOLE, literal, unescapeGlob } from '../shell/words.js';
import { type Places, isBuildPath, isBuildPattern } from './build-dirs.js';
import { linkedAbove, physicalPattern, physicalTarget, realPlaces } from './physical.js';
import type { MatchEnv } from './rule.js';

/**
 * `rm -r` (with or without -f) is gated unless every target is a build or temp dir.
 * A target the analyser cannot resolve (a variable, a substitution, an unknown
 * directory, arguments from xargs) is gated: the human sees the command and decides.
 */
export function rmRecursiveOutsideBuild(inv: Invocation, env: MatchEnv): string | null {
  const { recursive, targets } = parseRm(inv.argv);
  if (!recursive) return null;
  if (inv.argsFromStdin) return 'its targets arrive on stdin, so theguard cannot see them';
  if (inv.remote) return 'it deletes on another machine';
  let places: Places | undefined;
  for (const t of targets) {
    const why = treeOutsideBuild(t, inv, env, (places ??= realPlaces(env)));
    if (why) return why;
  }
  return null;
}

/**
 * Why deleting the tree at `target` is not routine, or null when it is: judged by the
 * words, then by where the kernel really goes. Shared with `rsync --delete`, whose
 * destination is such a tree.
 */
export function treeOutsideBuild(target: Word, inv: Invocation, env: MatchEnv, places: Places): string | null {
  return outside(target, inv, env) ?? physically(target, inv, env, places);
}

/** Judged by the words: where the target is, as written. */
function outside(target: Word, inv: Invocation, env: MatchEnv): string | null {
  const ref = wordPath(target, inv.cwd, inv.vars, env.home);
  if (ref.kind === 'unknown') return `the target \`${ref.hint.split(HOLE).join('$…')}\` is only known when it runs`;
  // `rm -rf package-lock.json` removes one file: only a directory makes a tree.
  if (ref.kind === 'path') return isBuildPath(ref.path, env) || env.kindOf(ref.path) === 'file' ? null : `it deletes ${ref.path}`;
  const bad = ref.patterns.find((p) => !isBuildPattern(p, env));
  return bad === undefined ? null : `the pattern ${target.raw} can match outside the build and temp dirs`;
}

/** Judged by the file system: where the kernel really goes, through symlinks and `..` (see physical.ts). */
function physically(target: Word, inv: Invocation, env: MatchEnv, places: Places): string | null {
  const ref = physicalPath(target, inv.cwd, inv.vars, env.home);
  if (ref.kind === 'path') {
    const linked = linkedAbove(posix.normalize(ref.path).replace(/(.)\/+$/, '$1'), inv.linkedEarlier);
    if (linked) return `it deletes through ${linked}, which the same command makes first`;
    return physicalTarget(ref.path, env, places);
  }
  if (ref.kind !== 'patterns') return null;
  for (const p of ref.patterns) {
    const parts = p.split('/');
    const start = posix.normalize(unescapeGlob(parts.slice(0, parts.findIndex((x) => hasWildcard(x))).join('/') || '/'));
    const linked = linkedAbove(start, inv.linkedEarlier, true);
    if (linked) return `the pattern ${target.raw} reaches through ${linked}, which the same command makes first`;
    const why = physicalPattern(p, env, places);
    if (why) return why;
  }
  return null;
}

function parseRm(argv: readonly Word[]): { recursive: boolean; targets: Word[] } {
  let recursive = false;
  let options = true;
  const targets: Word[] = [];
  for (const w of argv.slice(1)) {
    const t = literal(w);
    if (options && t === '--') {
      options = false;
      continue;
    }
    if (options && t !== null && t.startsWith('-') && t !== '-') {
      // `--recursive` or an abbreviation (`--rec`): coreutils accepts any unambiguous prefix.
      if ((t.startsWith('--') && t.length >= 3 && '--recursive'.startsWith(t)) || (!t.startsWith('--') && /[rR]/.test(t))) recursive = true;
      continue;
    }
    targets.push(w);
  }
  return { recursive, targets };
}
