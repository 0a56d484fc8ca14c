import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { GuardError, errnoCode } from '../errors.js';
import type { Delivery, Message, Receipt } from './port.js';

/**
 * emailFallback: "terminal". Opt-in only. The code is written to the controlling
 * terminal of this process (/dev/tty), never to stdout, stderr or a file, under a
 * warning. An agent that reads the screen could still read it: that is why it is a
 * fallback for machines without email, and why every use is audited as fallback_used.
 */
export class TerminalDelivery implements Delivery {
  readonly name = 'terminal';
  readonly secure = false;

  constructor(private readonly ttyPath = '/dev/tty') {}

  describe(): string {
    return 'controlling terminal (INSECURE fallback: anything that reads this terminal reads the code)';
  }

  async send(message: Message): Promise<Receipt> {
    let fd: number;
    try {
      fd = openSync(this.ttyPath, constants.O_WRONLY | (constants.O_NOCTTY ?? 0));
    } catch (err) {
      const code = errnoCode(err);
      const why = code === 'ENXIO' || code === 'ENOENT' ? 'this process has no controlling terminal' : `cannot open ${this.ttyPath} (${code ?? (err as Error).message})`;
      throw new GuardError('no-tty', `the terminal fallback cannot show the code: ${why}; the operation stays blocked`,
        'configure an email provider, or run the operation from your own terminal', { cause: err });
    }
    try {
      writeSync(fd, banner(message));
    } finally {
      closeSync(fd);
    }
    return {};
  }
}

function banner(message: Message): string {
  const bar = '!'.repeat(72);
  return [
    '',
    bar,
    '!! theguard: INSECURE TERMINAL FALLBACK (emailFallback: "terminal")',
    '!! The code is shown here because email was not delivered. Anything that can',
    '!! read this terminal can read it. Use email for real protection.',
    bar,
    message.text,
    bar,
    '',
  ].join('\r\n').replace(/(?<!\r)\n/g, '\r\n');
}
