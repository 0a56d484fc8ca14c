/**
 * Base URLs of the HTTPS APIs. `email.endpoint` may replace one (a proxy, a test
 * server); it must be https, except plain http to this machine's own loopback, where
 * nothing crosses a network.
 */
const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname.toLowerCase());
}

/** Why this URL cannot be an endpoint, or null when it can. */
export function endpointProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL';
  }
  if (url.username || url.password) return 'must not carry a user name or password (keys go in email.apiKeyEnv or email.apiKeyFile)';
  if (url.search || url.hash) return 'must be a base URL without ?query or #fragment';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:') return isLoopbackHost(url.hostname) ? null : 'uses plain http: to a host that is not this machine (only 127.0.0.1, ::1 and localhost may use http:)';
  return `uses ${url.protocol} (only https:, or http: on loopback)`;
}

/** The URL of `path` under a base URL that may itself have a path (a proxy prefix). */
export function apiUrl(base: string, path: string, query: Record<string, string> = {}): URL {
  const b = new URL(base);
  b.pathname = `${b.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  for (const [k, v] of Object.entries(query)) b.searchParams.set(k, v);
  return b;
}
