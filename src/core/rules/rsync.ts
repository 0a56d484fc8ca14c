import type { Invocation } from '../shell/invocation.js';
import { scanAll } from '../shell/options.js';
import { literal } from '../shell/words.js';
import { realPlaces } from './physical.js';
import { treeOutsideBuild } from './rm.js';
import type { MatchEnv } from './rule.js';

/** rsync's options that take a value (`--exclude PAT` as well as `--exclude=PAT`). */
const RSYNC = {
  short: 'eBfTM',
  long: [
    'rsh', 'rsync-path', 'exclude', 'include', 'filter', 'exclude-from', 'include-from', 'files-from', 'temp-dir', 'backup-dir',
    'suffix', 'chmod', 'chown', 'usermap', 'groupmap', 'log-file', 'log-file-format', 'password-file', 'port', 'block-size',
    'compare-dest', 'copy-dest', 'link-dest', 'partial-dir', 'max-size', 'min-size', 'max-delete', 'timeout', 'contimeout',
    'bwlimit', 'remote-option', 'out-format', 'info', 'debug', 'modify-window', 'compress-choice', 'compress-level',
    'checksum-choice', 'skip-compress', 'iconv', 'sockopts', 'outbuf', 'stop-after', 'stop-at', 'write-batch', 'only-write-batch',
    'read-batch', 'protocol', 'address', 'config', 'dparam', 'mkpath-mode', 'copy-as', 'early-input',
  ],
};

/**
 * `rsync --delete SRC... DEST` (and `--del`, `--delete-after`, `--delete-excluded`, ...)
 * removes whatever in DEST is not in the source: for DEST it is `rm -r` with a filter
 * theguard cannot predict, so DEST is judged exactly as an `rm -r` target. A remote
 * destination (`host:path`, `rsync://`) deletes on another machine and is gated.
 */
export function rsyncDeleteOutsideBuild(inv: Invocation, env: MatchEnv): string | null {
  const scan = scanAll(inv.argv, 1, RSYNC);
  const deletes = [...scan.flags, ...(scan.longs ?? []), ...scan.values.keys()].some((o) => o === 'del' || o.startsWith('delete'));
  // A dry run (-n) only lists what it would delete.
  if (!deletes || scan.flags.has('n') || scan.flags.has('dry-run')) return null;
  const dest = scan.operands.at(-1);
  // One operand lists the source; no operand is an error. Neither deletes.
  if (dest === undefined || scan.operands.length < 2) return null;
  if (inv.argsFromStdin) return 'its destination arrives on stdin, so theguard cannot see it';
  if (inv.remote) return 'it deletes on another machine';
  const text = literal(dest);
  if (text === null) return `the destination ${dest.raw} is only known when it runs`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^[^/]*:/.test(text)) return `it deletes in ${text} on another machine`;
  return treeOutsideBuild(dest, inv, env, realPlaces(env));
}
