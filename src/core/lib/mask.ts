/**
 * "jane@example.com" -> "j***@e***.com": enough for the human to recognise the
 * address in a deny reason or on stderr, not enough to harvest it.
 */
export function maskEmail(address: string): string {
  const bare = address.match(/<([^>]+)>/)?.[1] ?? address.trim();
  const at = bare.lastIndexOf('@');
  if (at <= 0) return `${bare.slice(0, 1)}***`;
  const local = bare.slice(0, at);
  const domain = bare.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***${tld}`;
}
