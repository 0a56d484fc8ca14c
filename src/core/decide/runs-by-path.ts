import { isAbsolute, join } from 'node:path';
import { commandName } from '../shell/command-name.js';
import { isShellScript } from '../shell/script-files.js';

/**
 * `bin/deploy` or `/tmp/x` names nothing guarded, yet runs whatever the file holds, and
 * the analyser reads a shell script run by path like `sh FILE`. So the fast path looks
 * at the words in command position (first in each command, past assignments and
 * keywords, and every word after a wrapper such as `sudo` or `env`) that hold a `/`, and
 * hands the command to the analyser when one is a shell script. Cheap: no parsing, one
 * open and a 256-byte read per such word.
 */
const WRAPPERS = new Set([
  'sudo', 'doas', 'env', 'command', 'builtin', 'exec', 'nice', 'nohup', 'timeout', 'gtimeout', 'time', 'xargs', 'gxargs', 'stdbuf',
  'ionice', 'setsid', 'chronic', 'unbuffer', 'caffeinate', 'nocache', 'torsocks', 'proxychains', 'proxychains4', 'busybox', 'flock',
  'watch', 'parallel', 'npx', 'bunx', 'pnpx',
]);
const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '}', 'function']);

export function runsScriptByPath(command: string, cwd: string): boolean {
  for (const segment of command.split(/[;&|()\n`]+/)) {
    let wrapped = false;
    for (const raw of segment.trim().split(/\s+/)) {
      const word = raw.replace(/['"\\]/g, '');
      if (word === '' || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word) || KEYWORDS.has(word)) continue;
      if (WRAPPERS.has(commandName(word))) {
        wrapped = true;
        continue;
      }
      if (word.includes('/') && isShellScript(isAbsolute(word) ? word : join(cwd, word))) return true;
      if (!wrapped) break;
    }
  }
  return false;
}
