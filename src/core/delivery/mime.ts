import { randomBytes } from 'node:crypto';
import type { Message } from './port.js';

/**
 * RFC 5322 / MIME text for a message: multipart/alternative with a text and an HTML
 * part, quoted-printable, CRLF line ends. Used for the file outbox and for SMTP.
 * Header values are stripped of CR and LF so nothing the agent controls can add headers.
 */
export function buildMime(msg: Message, opts: { messageId?: string; date?: Date } = {}): string {
  const boundary = `=_theguard_${randomBytes(12).toString('hex')}`;
  const domain = (msg.from.match(/@([^>\s]+)/)?.[1] ?? 'localhost').replace(/[^A-Za-z0-9.-]/g, '');
  const headers = [
    `From: ${headerValue(msg.from)}`,
    `To: ${headerValue(msg.to)}`,
    `Subject: ${encodeWord(headerValue(msg.subject))}`,
    `Date: ${(opts.date ?? new Date()).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${opts.messageId ?? `<${randomBytes(16).toString('hex')}@${domain || 'localhost'}>`}`,
    'MIME-Version: 1.0',
    'Auto-Submitted: auto-generated',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
  ];
  const part = (type: string, body: string): string =>
    [`--${boundary}`, `Content-Type: ${type}; charset=utf-8`, 'Content-Transfer-Encoding: quoted-printable', '', quotedPrintable(body)].join('\r\n');
  return `${headers.join('\r\n')}\r\n\r\n${part('text/plain', msg.text)}\r\n${part('text/html', msg.html)}\r\n--${boundary}--\r\n`;
}

export function headerValue(v: string): string {
  return v.replace(/[\r\n]+/g, ' ').trim();
}

/** RFC 2047 encoded-word for non-ASCII header text. */
export function encodeWord(v: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x20-\x7e]*$/.test(v)) return v;
  return `=?UTF-8?B?${Buffer.from(v, 'utf8').toString('base64')}?=`;
}

/** Quoted-printable (RFC 2045): safe for any line length and any bytes, CRLF line ends. */
export function quotedPrintable(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  return lines
    .map((line) => {
      let out = '';
      let width = 0;
      const bytes = Buffer.from(line, 'utf8');
      for (let i = 0; i < bytes.length; i++) {
        const b = bytes[i] as number;
        const last = i === bytes.length - 1;
        const plain = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
        const enc = plain ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
        if (width + enc.length > 75) {
          out += '=\r\n';
          width = 0;
        }
        out += enc;
        width += enc.length;
      }
      return out;
    })
    .join('\r\n');
}
