import { Command, CommanderError, Option } from 'commander';
import { GuardError, describeError } from '../core/errors.js';
import { auditCommand } from './commands/audit.js';
import { configCheckCommand } from './commands/config-check.js';
import { doctorCommand } from './commands/doctor.js';
import { emailTestCommand } from './commands/email-test.js';
import { execCommand } from './commands/exec.js';
import { initCommand } from './commands/init.js';
import { denyCommand, resendCommand } from './commands/resend.js';
import { statusCommand } from './commands/status.js';
import { uninstallCommand } from './commands/uninstall.js';
import { verifyCommand } from './commands/verify.js';
import { CliExit, EXIT } from './exit-codes.js';

declare const __VERSION__: string;

function program(): Command {
  const p = new Command('theguard')
    .description('Email 2FA for AI agents: a human approves protected operations with a code sent out of band.')
    .version(typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0')
    .option('--config <file>', 'use this configuration file instead of searching for one')
    .enablePositionalOptions()
    .showHelpAfterError()
    .exitOverride();
  const globals = (cmd: Command) => cmd.optsWithGlobals<{ config?: string }>();

  p.command('verify')
    .description('approve a pending request by typing its code (read with echo off, or one line of stdin)')
    .argument('[id]', 'the request id, when several are pending')
    .action(async (id: string | undefined, _o, cmd: Command) => done(await verifyCommand(id, globals(cmd))));

  p.command('status')
    .description('show pending requests, grants, lockouts and how codes are delivered')
    .option('--json', 'machine-readable output')
    .action(async (_o, cmd: Command) => done(await statusCommand(globals(cmd))));

  p.command('audit')
    .description('show the audit log')
    .option('--json', 'print the raw JSON lines')
    .option('--verify', 'check the hash chain and seals; name the first altered or missing line')
    .action(async (_o, cmd: Command) => done(await auditCommand(globals(cmd))));

  const config = p.command('config').description('configuration commands');
  config
    .command('check')
    .description('validate the configuration and show what it resolves to')
    .option('--json', 'machine-readable output')
    .action(async (_o, cmd: Command) => done(await configCheckCommand(globals(cmd))));

  const email = p.command('email').description('email delivery commands');
  email
    .command('test')
    .description('send a test message (no code in it) and show what the provider answered')
    .action(async (_o, cmd: Command) => done(await emailTestCommand(globals(cmd))));

  p.command('exec')
    .description('run a command only after a human approves exactly that command in this directory')
    .addOption(new Option('--tier <tier>', 'approval tier').choices(['delete', 'push']).default('delete'))
    .option('--reason <text>', 'why the command is needed (shown in the email)')
    .argument('<command...>', 'the command and its arguments (put them after --)')
    .passThroughOptions()
    .action(async (argv: string[], _o, cmd: Command) => done(await execCommand(argv, globals(cmd))));

  p.command('doctor')
    .description('check the whole setup and say how to fix what is wrong')
    .option('--json', 'machine-readable output')
    .action(async (_o, cmd: Command) => done(await doctorCommand(globals(cmd))));

  p.command('init')
    .description('set theguard up in this git repository: configuration, .gitignore, the pre-push hook, the Claude Code hook')
    .option('--email <address>', 'where codes go (for a new .theguard.json)')
    .option('--yes', 'never ask; fail if an answer is needed and no option gives it')
    .option('--claude-settings <scope>', 'register the Claude Code hook in .claude/settings.json ("project", default) or .claude/settings.local.json ("local")')
    .option('--no-claude-code', 'do not register the Claude Code hook')
    .action(async (_o, cmd: Command) => done(await initCommand(globals(cmd))));

  p.command('uninstall')
    .description('undo `theguard init`: put back every file it changed, exactly as it was')
    .action(async (_o, cmd: Command) => done(await uninstallCommand(globals(cmd))));

  p.command('resend')
    .description('send a fresh code for a pending request (the old code stops working)')
    .argument('[id]', 'the request id, when several are pending')
    .action(async (id: string | undefined, _o, cmd: Command) => done(await resendCommand(id, globals(cmd))));

  p.command('deny')
    .description('decline a pending request: its code stops working and nothing runs')
    .argument('[id]', 'the request id, when several are pending')
    .action(async (id: string | undefined, _o, cmd: Command) => done(await denyCommand(id, globals(cmd))));

  return p;
}

let exitCode: number = EXIT.OK;
function done(code: number): void {
  exitCode = code;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.OK;
      return EXIT.USAGE;
    }
    if (err instanceof CliExit) {
      process.stderr.write(`${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`theguard: ${describeError(err)}\n`);
    if (err instanceof GuardError && err.kind === 'usage') return EXIT.USAGE;
    return EXIT.ERROR;
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`theguard: internal error: ${describeError(err)}\n`);
    process.exitCode = EXIT.ERROR;
  },
);
