/**
 * Branch globs for push.protectedBranches: "*" matches within one path segment,
 * "**" across segments ("release/**" matches release/1.0 and release/1.0/hotfix),
 * "?" one character other than "/". Everything else is literal. Tiny on purpose:
 * a reviewer must see at a glance which branches are protected.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === '*' && glob[i + 1] === '*') {
      i++;
      // "**/" may match no segment at all, so "**/main" also matches plain "main".
      if (glob[i + 1] === '/') {
        i++;
        re += '(?:.*/)?';
      } else {
        re += '.*';
      }
    } else if (ch === '*') {
      re += '[^/]*';
    } else if (ch === '?') {
      re += '[^/]';
    } else {
      re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

export function matchesAny(name: string, globs: readonly string[]): boolean {
  return globs.some((g) => globToRegExp(g).test(name));
}
