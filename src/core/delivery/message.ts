import type { Clearance } from '../clearance.js';
import { oneLine } from '../operation.js';
import type { Message } from './port.js';

/**
 * The email a human receives. The code comes first and large; then exactly what it
 * approves. The subject names the operation, never the code (subjects show up in
 * notifications and mail logs). Everything the agent controls is length-capped, and
 * HTML-escaped in the HTML part, so it cannot inject markup or hide lines.
 *
 * The caps are the email's own, below what an operation may carry (a 500-character
 * summary, 64 KiB of parameters, 16 KiB of details), so they do cut: an email is read
 * on a phone, and a wall of agent-chosen text is where a harmful line hides. Every cut
 * says how much is missing and where to see all of it; the code approves all of it.
 */
export interface MessageContext {
  readonly to: string;
  readonly from: string;
  readonly repository: string;
  readonly host: string;
}

const MAX_OPERATION_SHOWN = 300;
const MAX_PARAMS_SHOWN = 16 * 1024;
const MAX_DETAILS_SHOWN = 8 * 1024;
const TIER_NOTE = { push: 'push tier: recoverable', delete: 'delete tier: destructive, irreversible' } as const;

export function composeMessage(code: string, c: Clearance, ctx: MessageContext): Message {
  const cwd = typeof c.params.cwd === 'string' ? c.params.cwd : ctx.repository;
  const params = capped(JSON.stringify(c.params, null, 2), MAX_PARAMS_SHOWN);
  const details = c.details ? capped(c.details, MAX_DETAILS_SHOWN) : undefined;
  const expires = new Date(c.expiresAt);
  const minutes = Math.max(1, Math.round((c.expiresAt - c.createdAt) / 60000));
  const rows: [string, string][] = [
    ['Operation', cappedLine(c.summary, MAX_OPERATION_SHOWN)],
    ['Tier', TIER_NOTE[c.tier]],
    ['Repository', ctx.repository],
    ['Directory', cappedLine(cwd, MAX_OPERATION_SHOWN)],
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
    ...(details ? ['', details.replace(/^/gm, '  ')] : []),
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
    ...(details ? [`<pre style="white-space:pre-wrap">${esc(details)}</pre>`] : []),
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

/** At most `max` characters, cut before escaping (so no entity is split), with the cut said on its own line. */
function capped(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, max)}\n… ${s.length - max} more characters not shown here; \`theguard status --json\` shows all of them, and the code approves all of them.`;
}

/** One line of at most `max` characters, the cut marked. */
function cappedLine(s: string, max: number): string {
  const line = oneLine(s, Number.MAX_SAFE_INTEGER);
  return line.length <= max ? line : `${line.slice(0, max)} … (${line.length - max} more characters)`;
}
