import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { GuardError } from '../errors.js';
import { ensurePrivateDir, writeFileAtomic } from '../lib/safe-fs.js';
import { buildMime } from './mime.js';
import type { Delivery, Message, Receipt } from './port.js';

/**
 * The embedded default: each message becomes an RFC 5322 .eml file in a private
 * outbox outside the project. It needs no account, which is why it exists, and it is
 * INSECURE: any process running as you (the agent included) can read the outbox.
 * Use it to evaluate theguard and in tests; configure a real provider for real use.
 */
export class FileDelivery implements Delivery {
  readonly name = 'file';
  readonly secure = false;

  constructor(private readonly outbox: string) {}

  describe(): string {
    return `file outbox ${this.outbox} (INSECURE: readable by any process running as you; for evaluation only)`;
  }

  async send(message: Message): Promise<Receipt> {
    const id = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}`;
    try {
      ensurePrivateDir(this.outbox);
      writeFileAtomic(join(this.outbox, `${id}.eml`), buildMime(message));
    } catch (err) {
      throw new GuardError('delivery', `cannot write to the outbox ${this.outbox}: ${(err as Error).message}`,
        'make the outbox a private directory you own, or set email.outbox to one', { cause: err });
    }
    return { id };
  }
}
