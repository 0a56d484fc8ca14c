import type { GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { gitRepo } from '../install/git-repo.js';
import { currentHookTarget } from '../install/hook-target.js';
import { allInstallers } from '../install/index.js';
import { uninstall } from '../install/uninstall.js';

/** `theguard uninstall`: put back every file `theguard init` touched, exactly as it was. */
export async function uninstallCommand(_opts: GlobalOptions): Promise<number> {
  const repo = gitRepo(process.cwd());
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  if (uninstall(repo, allInstallers(currentHookTarget()), say)) {
    say('theguard is uninstalled from this repository: pushes and Claude Code tool calls are no longer guarded.');
    say('The state dir (with the audit log) was kept; delete it yourself if you no longer need it.');
  }
  return EXIT.OK;
}
