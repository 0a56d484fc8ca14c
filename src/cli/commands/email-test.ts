import { hostname } from 'node:os';
import { composeTestMessage } from '../../core/delivery/test-message.js';
import { maskEmail } from '../../core/lib/mask.js';
import { type GlobalOptions, openGuard } from '../context.js';
import { EXIT } from '../exit-codes.js';

/**
 * `theguard email test`: send a message with no code through the configured delivery
 * and say what the provider answered. Safe to run anywhere: it approves nothing.
 */
export async function emailTestCommand(opts: GlobalOptions): Promise<number> {
  const { guard, loaded } = await openGuard(opts, 'email-test');
  const d = guard.delivery;
  const message = composeTestMessage({ to: loaded.config.email.to, from: loaded.config.email.from, repository: loaded.root, host: hostname(), via: d.describe() });
  process.stdout.write(`Sending a test message (no code) to ${maskEmail(message.to)} via ${d.describe()}...\n`);
  const receipt = await d.send(message);
  process.stdout.write(`Sent. The provider answered: ${receipt.response ?? 'ok'}${receipt.id ? `; message id ${receipt.id}` : ''}. Look for "theguard: test message" in that inbox.\n`);
  if (!d.secure) process.stdout.write('Note: this delivery is INSECURE (an agent running as you can read it). Configure an email provider for real protection.\n');
  return EXIT.OK;
}
