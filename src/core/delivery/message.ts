import type { Clearance } from '../clearance.js';
import { oneLine } from '../operation.js';
import type { Message } from './port.js';

/**
 * The email a human receives. The code comes first and large; then exactly what it
 * approves. The subject names the operation, never the code (subjects show up in
 * notifications and mail logs). Everything the agent controls is length-capped, and
 * HTML-escaped in the HTML part, so it cannot inject markup or hide lines.
 */
export interface MessageContext {
  readonly to: string;
  readonly from: string;
  readonly repository: string;
  readonly host: string;
}

const MAX_PARAMS_SHOWN = 256 * 1024;
const MAX_DETAILS_SHOWN = 16 * 1024;
const TIER_NOTE = { push: 'push tier: recoverable', delete: 'delete tier: destructive, irreversible' } as const;

export function composeMessage(code: string, c: Clearance, ctx: MessageContext): Message {
  const cwd = typeof c.params.cwd === 'string' ? c.params.cwd : ctx.repository;
  const params = capped(JSON.stringify(c.params, null, 2), MAX_PARAMS_SHOWN);
  const expires = new Date(c.expiresAt);
  const minutes = Math.max(1, Math.round((c.expiresAt - c.createdAt) / 60000));
  const rows: [string, string][] = [
    ['Operation', c.summary],
    ['Tier', TIER_NOTE[c.tier]],
    ['Repository', ctx.repository],
    ['Directory', cwd],
    ['Host', ctx.host],
    ['Expires', `${expires.toISOString()} (${minutes} min after it was sent)`],
    ['Attempts', `${c.maxAttempts} before the code is revoked`],
    ['Request id', c.id],
  ];
  if (c.reason) rows.splice(1, 0, ['Reason given', oneLine(c.reason, 300)]);

  const text = [
    `Your theguard code: ${code}`,
    '',
    'It approves this operation once:',
    '',
    ...rows.map(([k, v]) => `  ${`${k}:`.padEnd(13)} ${v}`),
    ...(c.details ? ['', capped(c.details, MAX_DETAILS_SHOWN).replace(/^/gm, '  ')] : []),
    '',
    'Exact parameters:',
    params.replace(/^/gm, '  '),
    '',
    `To approve, run \`theguard verify ${c.id}\` in your own terminal and type the code.`,
    'If you did not expect this, do nothing: the code expires and nothing runs.',
    'Never paste this code into an agent\'s chat or terminal.',
  ].join('\n');

  const esc = escapeHtml;
  const html = [
    '<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.4">',
    '<p style="margin:0">Your theguard code:</p>',
    `<p style="font-size:32px;font-weight:bold;letter-spacing:6px;font-family:monospace;margin:8px 0 16px">${esc(code)}</p>`,
    '<p>It approves this operation once:</p>',
    '<table style="border-collapse:collapse">',
    ...rows.map(([k, v]) => `<tr><td style="padding:2px 12px 2px 0;color:#555">${esc(k)}</td><td style="font-family:monospace">${esc(v)}</td></tr>`),
    '</table>',
    ...(c.details ? [`<pre style="white-space:pre-wrap">${esc(capped(c.details, MAX_DETAILS_SHOWN))}</pre>`] : []),
    '<p>Exact parameters:</p>',
    `<pre style="background:#f4f4f4;padding:8px;white-space:pre-wrap">${esc(params)}</pre>`,
    `<p>To approve, run <code>theguard verify ${esc(c.id)}</code> in your own terminal and type the code.</p>`,
    '<p><strong>If you did not expect this, do nothing:</strong> the code expires and nothing runs.</p>',
    '<p>Never paste this code into an agent\'s chat or terminal.</p>',
    '</body></html>',
  ].join('\n');

  return { to: ctx.to, from: ctx.from, subject: `theguard: approve ${oneLine(c.summary, 120)}`, text, html };
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function capped(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}\n… (${s.length - max} more characters; the fingerprint covers all of them)` : s;
}
