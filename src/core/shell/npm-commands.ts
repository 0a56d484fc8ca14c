/**
 * How npm reads its command word. npm runs any unique prefix of a command or alias
 * (`npm unpubl` is `npm unpublish`, `npm pu` is `npm publish`), resolves aliases
 * (`npm rm` is `npm uninstall`) and turns camelCase into dashes. Rules name commands by
 * their full name, so the word is expanded the way npm expands it before matching.
 *
 * The tables are npm 11's (lib/utils/cmd-list.js in npm 11.19.1), and deref() follows
 * its deref(): exact command, then alias, then unique prefix of either (the `abbrev`
 * package's rule), then alias again. pnpm and yarn (1 and 4) run no prefixes: checked
 * by running them (see docs/rules.md).
 */
const COMMANDS = [
  'access', 'adduser', 'approve-scripts', 'audit', 'bugs', 'cache', 'ci', 'completion', 'config', 'dedupe', 'deny-scripts',
  'deprecate', 'diff', 'dist-tag', 'docs', 'doctor', 'edit', 'exec', 'explain', 'explore', 'find-dupes', 'fund', 'get', 'help',
  'help-search', 'init', 'install', 'install-ci-test', 'install-scripts', 'install-test', 'link', 'll', 'login', 'logout', 'ls',
  'org', 'outdated', 'owner', 'pack', 'ping', 'pkg', 'prefix', 'profile', 'prune', 'publish', 'query', 'rebuild', 'repo',
  'restart', 'root', 'run', 'sbom', 'search', 'set', 'shrinkwrap', 'stage', 'star', 'stars', 'start', 'stop', 'team', 'test',
  'token', 'trust', 'undeprecate', 'uninstall', 'unpublish', 'unstar', 'update', 'version', 'view', 'whoami',
];

const ALIASES: Readonly<Record<string, string>> = {
  author: 'owner', home: 'docs', issues: 'bugs', info: 'view', show: 'view', find: 'search', add: 'install', unlink: 'uninstall',
  remove: 'uninstall', rm: 'uninstall', r: 'uninstall', un: 'uninstall', rb: 'rebuild', list: 'ls', ln: 'link', create: 'init',
  i: 'install', it: 'install-test', cit: 'install-ci-test', u: 'update', up: 'update', c: 'config', s: 'search', se: 'search',
  tst: 'test', t: 'test', ddp: 'dedupe', v: 'view', 'run-script': 'run', 'clean-install': 'ci', 'clean-install-test': 'install-ci-test',
  x: 'exec', why: 'explain', la: 'll', verison: 'version', ic: 'ci', innit: 'init', in: 'install', ins: 'install', inst: 'install',
  insta: 'install', instal: 'install', isnt: 'install', isnta: 'install', isntal: 'install', isntall: 'install', 'install-clean': 'ci',
  'isntall-clean': 'ci', hlep: 'help', 'dist-tags': 'dist-tag', upgrade: 'update', udpate: 'update', rum: 'run', sit: 'install-ci-test',
  urn: 'run', ogr: 'org', 'add-user': 'adduser',
};

let table: Map<string, string> | undefined;

/** The `abbrev` package: every prefix of a word that no other word shares, and each word itself. */
function abbrevs(): Map<string, string> {
  if (table) return table;
  const list = [...new Set([...COMMANDS, ...Object.keys(ALIASES)])].sort();
  table = new Map();
  for (let i = 0; i < list.length; i++) {
    const word = list[i] as string;
    const shared = Math.max(common(word, list[i - 1] ?? ''), common(word, list[i + 1] ?? ''));
    for (let n = Math.min(shared + 1, word.length); n <= word.length; n++) table.set(word.slice(0, n), word);
  }
  return table;
}

function common(a: string, b: string): number {
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  return n;
}

/** The command npm runs for this word, or null when npm knows none (it then fails). */
export function npmCommand(word: string): string | null {
  const w = /[A-Z]/.test(word) ? word.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`) : word;
  if (COMMANDS.includes(w)) return w;
  if (Object.hasOwn(ALIASES, w)) return ALIASES[w] as string;
  let a = abbrevs().get(w);
  for (let n = 0; a !== undefined && Object.hasOwn(ALIASES, a) && n < 4; n++) a = ALIASES[a];
  return a ?? null;
}

/** Every lowercase word npm runs as `command`: its prefixes, aliases and their prefixes. */
export function npmSpellings(command: string): string[] {
  return [...abbrevs().keys()].filter((w) => npmCommand(w) === command);
}
