import type { Answer, Recorded, RequestChecker } from './fake-api.js';

/**
 * What each provider's API requires of a request, as its reference documents it: the
 * method and path, the auth header, the content type, the required fields. FakeApi runs
 * these on every request; a request that breaks one gets a 400 naming the problem (the
 * fake's own signal, shaped like the provider's error body so it shows in the error the
 * delivery throws). A key given here must be the one sent; without one, any key will do.
 *   Resend:   https://resend.com/docs/api-reference/introduction, .../emails/send-email
 *   Postmark: https://postmarkapp.com/developer/api/overview, .../email-api, .../messages-api
 *   SendGrid: https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send,
 *             .../how-to-use-the-sendgrid-v3-api/errors (406 without Accept), .../api-key-permissions
 *   Mailgun:  https://documentation.mailgun.com/docs/mailgun/api-reference (multipart/form-data, Basic api:KEY)
 */
export type ProviderName = 'resend' | 'postmark' | 'sendgrid' | 'mailgun';

export interface CheckOptions {
  readonly key?: string | undefined;
  /** Mailgun: the sending domain the path must name. */
  readonly domain?: string | undefined;
}

type Route = (req: Recorded, p: Problems) => void;

class Problems {
  readonly list: string[] = [];
  need(ok: boolean, problem: string): void {
    if (!ok) this.list.push(problem);
  }
}

const header = (req: Recorded, name: string): string => {
  const v = req.headers[name.toLowerCase()];
  return (Array.isArray(v) ? v.join(', ') : v) ?? '';
};
const mediaType = (req: Recorded, name = 'content-type'): string => header(req, name).split(';')[0]?.trim().toLowerCase() ?? '';
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

function json(req: Recorded, p: Problems): Record<string, unknown> {
  p.need(mediaType(req) === 'application/json', `Content-Type must be application/json (it is "${header(req, 'content-type')}")`);
  try {
    const v: unknown = JSON.parse(req.body);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  p.need(false, 'the body is not a JSON object');
  return {};
}

function bearer(req: Recorded, p: Problems, key: string | undefined): void {
  const auth = header(req, 'authorization');
  p.need(/^Bearer \S+$/.test(auth), 'no "Authorization: Bearer <key>" header');
  if (key !== undefined && /^Bearer \S+$/.test(auth)) p.need(auth === `Bearer ${key}`, 'the Bearer key is not the configured key');
}

function routeOf(routes: Record<string, Route>, req: Recorded): Route | undefined {
  const path = req.path.split('?')[0] ?? '';
  for (const [pattern, route] of Object.entries(routes)) {
    const [method, suffix] = pattern.split(' ') as [string, string];
    if (req.method === method && new RegExp(`${suffix}$`).test(path)) return route;
  }
  return undefined;
}

function checker(provider: string, routes: Record<string, Route>, refuse: (message: string) => Answer): RequestChecker {
  return {
    provider,
    check(req) {
      const p = new Problems();
      const route = routeOf(routes, req);
      if (!route) return [`${provider} has no ${req.method} ${req.path.split('?')[0]} endpoint`];
      route(req, p);
      return p.list;
    },
    refuse: (problems) => refuse(`the fake ${provider} API refused a malformed request: ${problems.join('; ')}`),
  };
}

function resend(o: CheckOptions): RequestChecker {
  // Every request needs the Bearer key and a User-Agent (without one Resend answers 403).
  const common: Route = (req, p) => {
    bearer(req, p, o.key);
    p.need(isText(header(req, 'user-agent')), 'no User-Agent header');
  };
  return checker('Resend', {
    'POST /emails': (req, p) => {
      common(req, p);
      const b = json(req, p);
      p.need(isText(b.from), '"from" is required');
      const to = Array.isArray(b.to) ? b.to : [b.to];
      p.need(to.length >= 1 && to.length <= 50 && to.every(isText), '"to" must be an address or up to 50 of them');
      p.need(isText(b.subject), '"subject" is required');
      p.need(isText(b.html) || isText(b.text), 'the message needs "html" or "text"');
      const idem = header(req, 'idempotency-key');
      p.need(idem.length <= 256, 'Idempotency-Key is longer than 256 characters');
    },
    'GET /domains': common,
  }, (message) => ({ status: 400, body: { statusCode: 400, name: 'validation_error', message } }));
}

function postmark(o: CheckOptions): RequestChecker {
  // The server token header, and JSON both ways: Postmark requires Accept: application/json.
  const common: Route = (req, p) => {
    const token = header(req, 'x-postmark-server-token');
    p.need(isText(token), 'no X-Postmark-Server-Token header');
    if (o.key !== undefined && isText(token)) p.need(token === o.key, 'the server token is not the configured one');
    p.need(mediaType(req, 'accept') === 'application/json', 'Accept must be application/json');
  };
  return checker('Postmark', {
    'POST /email': (req, p) => {
      common(req, p);
      const b = json(req, p);
      p.need(isText(b.From), '"From" is required');
      p.need(isText(b.To) && String(b.To).split(',').length <= 50, '"To" is required (at most 50 addresses)');
      p.need(isText(b.HtmlBody) || isText(b.TextBody), 'the message needs "HtmlBody" or "TextBody"');
      p.need(b.TrackOpens === undefined || typeof b.TrackOpens === 'boolean', '"TrackOpens" must be a boolean');
      p.need(b.TrackLinks === undefined || ['None', 'HtmlAndText', 'HtmlOnly', 'TextOnly'].includes(String(b.TrackLinks)), '"TrackLinks" must be None, HtmlAndText, HtmlOnly or TextOnly');
    },
    'GET /messages/outbound': (req, p) => {
      common(req, p);
      const q = new URL(req.path, 'https://x').searchParams;
      const count = Number(q.get('count'));
      p.need(Number.isInteger(count) && count >= 1 && count <= 500, '"count" is required (1 to 500)');
      p.need(q.has('offset') && Number.isInteger(Number(q.get('offset'))), '"offset" is required');
    },
  }, (message) => ({ status: 400, body: { ErrorCode: 300, Message: message } }));
}

function sendgrid(o: CheckOptions): RequestChecker {
  // SendGrid answers 406 to a request without Accept: application/json.
  const common: Route = (req, p) => {
    bearer(req, p, o.key);
    p.need(mediaType(req, 'accept') === 'application/json', 'Accept must be application/json');
  };
  return checker('SendGrid', {
    'POST /v3/mail/send': (req, p) => {
      common(req, p);
      const b = json(req, p);
      const ps = Array.isArray(b.personalizations) ? (b.personalizations as Record<string, unknown>[]) : [];
      p.need(ps.length >= 1 && ps.length <= 1000, '"personalizations" needs 1 to 1000 entries');
      p.need(ps.every((x) => Array.isArray(x?.to) && (x.to as unknown[]).length >= 1 && (x.to as Record<string, unknown>[]).every((t) => isText(t?.email))), 'each personalization needs "to" with an "email"');
      p.need(isText((b.from as Record<string, unknown> | undefined)?.email), '"from.email" is required');
      p.need(isText(b.subject), '"subject" is required');
      const content = Array.isArray(b.content) ? (b.content as Record<string, unknown>[]) : [];
      p.need(content.length >= 1 && content.every((c) => isText(c?.type) && isText(c?.value)), '"content" needs entries with "type" and "value"');
      const types = content.map((c) => c?.type);
      // text/plain, then text/html, must come first in that order.
      if (types.includes('text/plain')) p.need(types[0] === 'text/plain', 'text/plain must be the first content');
      if (types.includes('text/html')) p.need(types.indexOf('text/html') === (types.includes('text/plain') ? 1 : 0), 'text/html must follow text/plain');
    },
    'GET /v3/scopes': common,
  }, (message) => ({ status: 400, body: { errors: [{ message, field: null, help: null }] } }));
}

function mailgun(o: CheckOptions): RequestChecker {
  const common = (req: Recorded, p: Problems): void => {
    const auth = header(req, 'authorization');
    const basic = /^Basic (\S+)$/.exec(auth);
    const [user, ...rest] = basic ? Buffer.from(basic[1] as string, 'base64').toString('utf8').split(':') : [];
    p.need(basic !== null && user === 'api' && rest.join(':') !== '', 'no "Authorization: Basic" header with user "api" and the key as password');
    if (o.key !== undefined && basic) p.need(rest.join(':') === o.key, 'the key in Basic auth is not the configured key');
    const domain = /\/v3\/([^/]+)\//.exec(req.path)?.[1];
    p.need(domain !== undefined && domain !== '', 'the path names no domain');
    if (o.domain !== undefined && domain !== undefined) p.need(decodeURIComponent(domain) === o.domain, `the path names domain "${domain}", not "${o.domain}"`);
  };
  return checker('Mailgun', {
    'POST /v3/[^/]+/messages': (req, p) => {
      common(req, p);
      p.need(mediaType(req) === 'multipart/form-data', `Content-Type must be multipart/form-data (it is "${header(req, 'content-type')}")`);
      const form = formFields(req);
      for (const f of ['from', 'to', 'subject']) p.need(isText(form.get(f)), `"${f}" parameter is missing`);
      p.need(['text', 'html', 'amp-html', 'template'].some((f) => isText(form.get(f))), 'one of "text", "html", "amp-html" or "template" is required');
      const tracking = form.get('o:tracking');
      p.need(tracking === undefined || ['yes', 'no', 'true', 'false', 'htmlonly'].includes(tracking), '"o:tracking" must be yes, no, true, false or htmlonly');
    },
    'GET /v3/[^/]+/events': (req, p) => {
      common(req, p);
      const limit = new URL(req.path, 'https://x').searchParams.get('limit');
      p.need(limit === null || (Number(limit) >= 1 && Number(limit) <= 300), '"limit" must be 1 to 300');
    },
  }, (message) => ({ status: 400, body: { message } }));
}

export const PROVIDER_API: Record<ProviderName, (o?: CheckOptions) => RequestChecker> = {
  resend: (o = {}) => resend(o),
  postmark: (o = {}) => postmark(o),
  sendgrid: (o = {}) => sendgrid(o),
  mailgun: (o = {}) => mailgun(o),
};

/** The fields of a multipart/form-data body (RFC 7578): the last value of each name. */
export function formFields(req: Recorded): Map<string, string> {
  const fields = new Map<string, string>();
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(header(req, 'content-type'));
  const b = boundary?.[1] ?? boundary?.[2];
  if (!b) return fields;
  for (const part of req.body.split(`--${b}`).slice(1)) {
    if (part.startsWith('--')) break;
    const [head, ...value] = part.replace(/^\r\n/, '').split('\r\n\r\n');
    const name = /name="([^"]*)"/.exec(head ?? '')?.[1];
    if (name !== undefined) fields.set(name, value.join('\r\n\r\n').replace(/\r\n$/, ''));
  }
  return fields;
}
