/**
 * Remote URLs can carry credentials (https://user:token@host/repo, or a token as the
 * user name). The URL is shown in the email and kept in the state dir, so the
 * credential part is replaced before it goes anywhere. Two URLs that differ only in
 * credentials name the same repository, so the fingerprint loses nothing that matters.
 */
export function redactUrl(url: string): string {
  const m = url.match(/^([a-z][a-z0-9+.-]*:\/\/)([^/@]*)@/i);
  if (!m) return url;
  const [whole, scheme, userinfo] = m as unknown as [string, string, string];
  const rest = url.slice(whole.length);
  if (/^https?:\/\//i.test(scheme)) return `${scheme}***@${rest}`;
  const colon = userinfo.indexOf(':');
  return colon < 0 ? url : `${scheme}${userinfo.slice(0, colon)}:***@${rest}`;
}
