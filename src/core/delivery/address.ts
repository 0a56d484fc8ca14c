/**
 * Mail addresses as the config gives them: "jane@example.com" or
 * "Jane Doe <jane@example.com>". Providers and SMTP need the bare address (and the
 * name apart); a bare address must not hold spaces, angle brackets or line breaks, so
 * it cannot smuggle a second SMTP command or recipient.
 */
export interface Mailbox {
  readonly address: string;
  readonly name?: string | undefined;
}

const BARE = /^[^\s@<>"(),;:\\[\]]+@[^\s@<>"(),;:\\[\]]+$/;

export function parseMailbox(text: string): Mailbox | null {
  const angled = text.match(/^\s*(.*?)\s*<([^<>]*)>\s*$/);
  const address = (angled?.[2] ?? text).trim();
  if (!BARE.test(address)) return null;
  const name = angled?.[1]?.replace(/^"(.*)"$/, '$1').trim();
  return { address, ...(name ? { name } : {}) };
}
