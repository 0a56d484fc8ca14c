import { hostname } from 'node:os';
import type { EmailConfig, SmtpConfig } from '../config.js';
import { GuardError } from '../errors.js';
import { parseMailbox } from './address.js';
import { Deadline } from './deadline.js';
import type { TransportOptions } from './https.js';
import { buildMime } from './mime.js';
import type { Delivery, Message, Receipt, ScopeFinding } from './port.js';
import { providerText } from './redact.js';
import { readSecret } from './secret.js';
import { type Reply, SmtpConnection } from './smtp-connection.js';

/**
 * SMTP submission on node:net and node:tls (RFC 5321, 3207, 4954), no library:
 * TLS first (implicit TLS, port 465) or STARTTLS before anything else (port 587), then
 * AUTH PLAIN or LOGIN, MAIL, RCPT, DATA with dot-stuffing. Nothing, neither the password
 * nor the message, is ever written to a connection that is not encrypted: a server
 * without STARTTLS is refused.
 */
export class SmtpDelivery implements Delivery {
  readonly name = 'smtp';
  readonly secure = true;
  private readonly smtp: SmtpConfig;

  constructor(private readonly email: EmailConfig, private readonly t: TransportOptions = {}) {
    if (!email.smtp) throw new GuardError('config', 'provider "smtp" needs email.smtp', 'add email.smtp with at least "host"');
    this.smtp = email.smtp;
  }

  describe(): string {
    const s = this.smtp;
    return `SMTP ${s.host}:${s.port} (${s.security === 'tls' ? 'implicit TLS' : 'STARTTLS'})${s.username ? `, user ${s.username}` : ', no login'}`;
  }

  async send(m: Message): Promise<Receipt> {
    const deadline = new Deadline(this.email.timeoutSeconds * 1000);
    const from = envelope(m.from, 'email.from');
    const to = envelope(m.to, 'email.to');
    const password = this.smtp.username ? this.password() : undefined;
    const step = stepper(m, secretsOf(this.smtp.username, password));
    const c = await this.login(deadline, password, step);
    try {
      step(await c.command(`MAIL FROM:<${from}>`), [250], 'MAIL FROM');
      step(await c.command(`RCPT TO:<${to}>`), [250, 251], 'RCPT TO');
      step(await c.command('DATA'), [354], 'DATA');
      const done = step(await c.command(dotStuff(buildMime(m))), [250], 'the message');
      c.write('QUIT\r\n');
      const said = providerText(done.lines.join(' '), m, secretsOf(this.smtp.username, password));
      return { id: said.match(/queued as ([A-Za-z0-9._-]+)/i)?.[1], response: `${done.code} ${said}` };
    } finally {
      c.close();
    }
  }

  /** Connect, log in and leave, sending no mail: proves the host, TLS and credentials. */
  async probeKeyScope(): Promise<ScopeFinding> {
    try {
      const password = this.smtp.username ? this.password() : undefined;
      const c = await this.login(new Deadline(this.email.timeoutSeconds * 1000), password, stepper(undefined, secretsOf(this.smtp.username, password)));
      c.write('QUIT\r\n');
      c.close();
    } catch (err) {
      return { status: 'fail', title: 'the SMTP login test failed', detail: err instanceof Error ? err.message : String(err), fix: err instanceof GuardError ? err.fix : undefined };
    }
    return {
      status: 'ok',
      title: `SMTP ${this.smtp.username ? 'login' : 'connection'} works over TLS; theguard cannot see what else these credentials open`,
      detail: 'if they also open a mailbox (IMAP, webmail), whoever holds them can read sent codes',
      fix: "use SMTP credentials that can only send (a provider's SMTP relay user), never a mailbox password",
    };
  }

  /** Greeting, EHLO, TLS (implicit, or STARTTLS before anything else), AUTH. */
  private async login(deadline: Deadline, password: string | undefined, step: Step): Promise<SmtpConnection> {
    const c = await SmtpConnection.open(this.smtp.host, this.smtp.port, this.smtp.security === 'tls', deadline, this.t);
    try {
      step(await c.read(), [220], 'the greeting');
      let caps = step(await c.command(`EHLO ${heloName()}`), [250], 'EHLO');
      if (!c.encrypted) {
        if (!offers(caps, 'STARTTLS')) throw noStartTls(this.smtp);
        step(await c.command('STARTTLS'), [220], 'STARTTLS');
        await c.upgrade();
        caps = step(await c.command(`EHLO ${heloName()}`), [250], 'EHLO');
      }
      if (!c.encrypted) throw new GuardError('internal', 'the SMTP session is not encrypted', 'report this bug');
      if (this.smtp.username && password !== undefined) await authenticate(c, caps, this.smtp.username, password, step);
      return c;
    } catch (err) {
      c.close();
      throw err;
    }
  }

  private password(): string {
    return readSecret({ what: 'the SMTP password', env: this.smtp.passwordEnv, file: this.smtp.passwordFile, envKey: 'email.smtp.passwordEnv', fileKey: 'email.smtp.passwordFile' });
  }
}

/** Checks each reply against the codes expected; a refusal becomes a GuardError naming the step. */
type Step = (r: Reply, ok: number[], what: string) => Reply;

function stepper(m: Message | undefined, secrets: string[]): Step {
  return (r, ok, what) => {
    if (ok.includes(r.code)) return r;
    const said = providerText(`${r.code} ${r.lines.join(' ')}`, m, secrets);
    throw refusal(what, r.code, said);
  };
}

/** The password as it travels (plain, and base64 in AUTH), so a server that echoes it is cut. */
function secretsOf(user: string | undefined, password: string | undefined): string[] {
  if (password === undefined) return [];
  const b64 = (v: string): string => Buffer.from(v, 'utf8').toString('base64');
  return [password, b64(password), b64(`\0${user ?? ''}\0${password}`)];
}

function refusal(what: string, code: number, said: string): GuardError {
  const temporary = code >= 400 && code < 500;
  const msg = (cause: string) => `the SMTP server ${cause} (${said}); nothing was delivered`;
  if (what === 'AUTH' || code === 530 || code === 535 || code === 534) {
    return new GuardError('delivery', msg('refused the login'), 'check email.smtp.username and the SMTP password (email.smtp.passwordEnv or email.smtp.passwordFile)');
  }
  if (what === 'MAIL FROM') return new GuardError('delivery', msg(`refused the sender${temporary ? ' for now' : ''}`), 'set email.from to an address this SMTP account may send as');
  if (what === 'RCPT TO') return new GuardError('delivery', msg(`refused the recipient${temporary ? ' for now' : ''}`), temporary ? 'wait a minute and retry the operation' : 'check email.to, and that this server relays to it for your account');
  if (temporary) return new GuardError('delivery', msg(`is refusing mail for now at ${what}`), 'wait a minute and retry the operation; if it persists, ask the server\'s operator');
  return new GuardError('delivery', msg(`refused ${what}`), 'check email.smtp (host, port, security) and the account; the server\'s words above say why');
}

async function authenticate(c: SmtpConnection, caps: Reply, user: string, password: string, step: Step): Promise<void> {
  const mechanisms = authMechanisms(caps);
  const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
  if (mechanisms.includes('PLAIN')) {
    step(await c.command(`AUTH PLAIN ${b64(`\0${user}\0${password}`)}`), [235], 'AUTH');
  } else if (mechanisms.includes('LOGIN')) {
    step(await c.command('AUTH LOGIN'), [334], 'AUTH');
    step(await c.command(b64(user)), [334], 'AUTH');
    step(await c.command(b64(password)), [235], 'AUTH');
  } else {
    throw new GuardError('delivery', `the SMTP server offers no login theguard speaks (it offers: ${mechanisms.join(', ') || 'none'}; theguard speaks PLAIN and LOGIN)`,
      'use a server or port that offers AUTH PLAIN or LOGIN over TLS, or remove email.smtp.username if the server needs no login');
  }
}

function offers(caps: Reply, keyword: string): boolean {
  return caps.lines.some((l) => l.toUpperCase().split(/\s+/)[0] === keyword);
}

function authMechanisms(caps: Reply): string[] {
  const line = caps.lines.find((l) => /^AUTH[ =]/i.test(l));
  return line ? line.slice(5).toUpperCase().split(/\s+/).filter(Boolean) : [];
}

function noStartTls(s: SmtpConfig): GuardError {
  return new GuardError('delivery', `the SMTP server ${s.host}:${s.port} does not offer STARTTLS; theguard will not send a code or a password unencrypted, so nothing was sent`,
    'use security "tls" (port 465) if the server offers it, or a server that supports STARTTLS');
}

/** The bare address for MAIL FROM / RCPT TO; the config check has already refused bad ones. */
function envelope(text: string, key: string): string {
  const mb = parseMailbox(text);
  if (!mb) throw new GuardError('config', `${key} is not a usable mail address`, `set ${key} to an address such as you@example.com`);
  return mb.address;
}

function heloName(): string {
  const h = hostname();
  return /^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(h) ? h : 'localhost';
}

/**
 * The DATA payload: CRLF line ends throughout, a dot doubled at the start of any line
 * (RFC 5321 4.5.2) so no line of the message can end it early, then the end marker.
 */
export function dotStuff(mime: string): string {
  const lines = mime.replace(/\r\n|\r|\n/g, '\n').replace(/\n$/, '').split('\n');
  return `${lines.map((l) => (l.startsWith('.') ? `.${l}` : l)).join('\r\n')}\r\n.`;
}
