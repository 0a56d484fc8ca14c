import { oneLine } from '../operation.js';
import type { Message } from './port.js';

/**
 * Text a provider or mail server sent back, made safe to show and audit. Error text is
 * the provider's, and a provider that echoes the request could echo the code: every run
 * of six or more digits sharing six digits in a row with the message is cut out, and so
 * is the key.
 * Control characters go, and the length is capped.
 */
const MAX_SHOWN = 300;

export function providerText(text: string, message: Message | undefined, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[key]');
  if (message) {
    const sent = `${message.subject}\n${message.text}\n${message.html}`;
    out = out.replace(/\d{6,}/g, (run) => (sixDigitWindows(run).some((w) => sent.includes(w)) ? '[redacted]' : run));
  }
  return oneLine(out, MAX_SHOWN);
}

function sixDigitWindows(run: string): string[] {
  return Array.from({ length: run.length - 5 }, (_, i) => run.slice(i, i + 6));
}
