import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import type { TestPki } from './tls.js';

/**
 * A real SMTP server on 127.0.0.1 (the smtp-server package), recording what each
 * session did: whether it was encrypted when it logged in and sent mail, the login,
 * the envelope and the message as received (dot-stuffing already undone, as RFC 5321 says).
 */
export interface SmtpSession {
  auth?: { method: string; username: string; password: string; secure: boolean };
  mailFrom?: { address: string; secure: boolean };
  rcptTo: string[];
  data?: string;
}

export interface FakeSmtpOptions {
  readonly implicitTls?: boolean;
  readonly authMethods?: string[];
  readonly hideStartTls?: boolean;
  readonly username?: string;
  readonly password?: string;
  /** Refuse these recipients with 550. */
  readonly rejectRecipients?: string[];
  /** Refuse these senders at MAIL FROM with 553 (RFC 5321: mailbox name not allowed). */
  readonly rejectSenders?: string[];
}

export class FakeSmtp {
  readonly sessions: SmtpSession[] = [];
  private readonly byId = new Map<string, SmtpSession>();

  private constructor(private readonly server: SMTPServer, readonly port: number) {}

  static async start(pki: TestPki, o: FakeSmtpOptions = {}): Promise<FakeSmtp> {
    let fake: FakeSmtp | undefined;
    const current = (id: string): SmtpSession => {
      const s = fake?.byId.get(id) ?? { rcptTo: [] };
      if (!fake?.byId.has(id)) {
        fake?.byId.set(id, s);
        fake?.sessions.push(s);
      }
      return s;
    };
    const options: SMTPServerOptions = {
      secure: o.implicitTls ?? false,
      key: pki.key,
      cert: pki.cert,
      authMethods: o.authMethods ?? ['PLAIN', 'LOGIN'],
      hideSTARTTLS: o.hideStartTls ?? false,
      authOptional: o.username === undefined,
      logger: false,
      onAuth(auth, session, cb) {
        current(session.id).auth = { method: auth.method, username: auth.username ?? '', password: auth.password ?? '', secure: session.secure };
        if (auth.username === o.username && auth.password === o.password) return cb(null, { user: auth.username });
        return cb(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
      },
      onMailFrom(address, session, cb) {
        current(session.id).mailFrom = { address: address.address, secure: session.secure };
        if (o.rejectSenders?.includes(address.address)) return cb(Object.assign(new Error(`5.7.1 <${address.address}>: Sender address rejected: not owned by user ${o.username ?? 'anonymous'}`), { responseCode: 553 }));
        cb();
      },
      onRcptTo(address, session, cb) {
        if (o.rejectRecipients?.includes(address.address)) return cb(Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`), { responseCode: 550 }));
        current(session.id).rcptTo.push(address.address);
        cb();
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          current(session.id).data = Buffer.concat(chunks).toString('utf8');
          cb(null, 'Ok: queued as 4Fq1Xb2ZkQz');
        });
      },
    };
    const server = new SMTPServer(options);
    server.on('error', () => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    fake = new FakeSmtp(server, (server.server.address() as AddressInfo).port);
    return fake;
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
