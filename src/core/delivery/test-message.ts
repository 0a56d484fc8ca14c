import { escapeHtml } from './message.js';
import type { Message } from './port.js';

/**
 * What `theguard email test` sends: proof that the channel works, with no code in it,
 * so a test can run anywhere (an agent may even watch it) without granting anything.
 */
export function composeTestMessage(ctx: { to: string; from: string; repository: string; host: string; via: string }): Message {
  const sent = new Date().toISOString();
  const lines = [
    'This is a test message from theguard. It holds no code and approves nothing.',
    '',
    `Sent:        ${sent}`,
    `Via:         ${ctx.via}`,
    `Host:        ${ctx.host}`,
    `Repository:  ${ctx.repository}`,
    '',
    'Codes for protected operations will reach you the same way.',
  ];
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif"><pre style="white-space:pre-wrap">${escapeHtml(lines.join('\n'))}</pre></body></html>`;
  return { to: ctx.to, from: ctx.from, subject: 'theguard: test message (no code)', text: lines.join('\n'), html };
}
