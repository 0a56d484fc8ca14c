import { type Socket, connect as netConnect, isIP } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { GuardError } from '../errors.js';
import type { Deadline } from './deadline.js';
import type { TransportOptions } from './https.js';
import { DeliveryTimeout, networkFailure } from './network.js';

/**
 * The wire under an SMTP session (RFC 5321): connect (TLS from the first byte, or plain
 * for STARTTLS), read replies, upgrade to TLS in place. Certificates are verified against
 * the configured host name. One timer bounds the whole session: when the deadline
 * passes, the socket is destroyed and every pending read fails.
 */
export interface Reply {
  readonly code: number;
  /** Reply lines without their code, e.g. ["mail.example.com", "AUTH PLAIN LOGIN", "STARTTLS"]. */
  readonly lines: readonly string[];
}

const MAX_REPLY_BYTES = 64 * 1024;

export class SmtpConnection {
  private buffer = '';
  private pending: string[] = [];
  private replies: Reply[] = [];
  private waiter: { resolve(r: Reply): void; reject(e: unknown): void } | undefined;
  private failure: unknown;
  private readonly timer: NodeJS.Timeout;

  private constructor(private socket: Socket | TLSSocket, private readonly host: string, private readonly where: string,
    private readonly deadline: Deadline, private readonly t: TransportOptions) {
    this.timer = setTimeout(() => this.socket.destroy(new DeliveryTimeout()), deadline.remaining());
    this.listen(socket);
  }

  static open(host: string, port: number, implicitTls: boolean, deadline: Deadline, t: TransportOptions): Promise<SmtpConnection> {
    const where = `${host}:${port}`;
    return new Promise((resolve, reject) => {
      const onError = (err: unknown): void => reject(networkFailure(err, 'the SMTP server', where, deadline));
      const socket = implicitTls
        ? tlsConnect({ host, port, rejectUnauthorized: true, ...servername(host), ...(t.ca ? { ca: t.ca } : {}) })
        : netConnect({ host, port });
      const early = setTimeout(() => socket.destroy(new DeliveryTimeout()), deadline.remaining());
      socket.once('error', onError);
      socket.once(implicitTls ? 'secureConnect' : 'connect', () => {
        clearTimeout(early);
        socket.off('error', onError);
        resolve(new SmtpConnection(socket, host, where, deadline, t));
      });
    });
  }

  get encrypted(): boolean {
    return 'encrypted' in this.socket && this.socket.encrypted === true;
  }

  /** The next complete reply from the server. */
  read(): Promise<Reply> {
    const next = this.replies.shift();
    if (next) return Promise.resolve(next);
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  write(data: string): void {
    this.socket.write(data, 'utf8');
  }

  /** Send one command line and read its reply. */
  async command(line: string): Promise<Reply> {
    this.write(`${line}\r\n`);
    return this.read();
  }

  /** After "220 ready to start TLS": wrap the socket in TLS and verify the server's certificate. */
  async upgrade(): Promise<void> {
    // Anything the server sent before the handshake was not protected by it; a server (or
    // someone in the path) that queues extra replies is refused (the STARTTLS injection flaw).
    if (this.buffer || this.pending.length || this.replies.length) {
      throw new GuardError('delivery', `the SMTP server at ${this.where} sent data right after STARTTLS; nothing was sent`,
        'this server (or something on the network path) does not speak STARTTLS safely: use security "tls" on port 465, or another server');
    }
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('error');
    plain.removeAllListeners('close');
    const secure = tlsConnect({ socket: plain, host: this.host, rejectUnauthorized: true, ...servername(this.host), ...(this.t.ca ? { ca: this.t.ca } : {}) });
    this.socket = secure;
    this.listen(secure);
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    }).catch((err: unknown) => {
      throw networkFailure(err, 'the SMTP server', this.where, this.deadline);
    });
  }

  close(): void {
    clearTimeout(this.timer);
    this.socket.end();
    this.socket.destroy();
  }

  private listen(socket: Socket | TLSSocket): void {
    // latin1 maps bytes one to one, so a chunk boundary never splits a character.
    socket.on('data', (chunk: Buffer) => this.take(chunk.toString('latin1')));
    socket.on('error', (err) => this.fail(networkFailure(err, 'the SMTP server', this.where, this.deadline)));
    socket.on('close', () => this.fail(new GuardError('delivery', `the SMTP server at ${this.where} closed the connection`, 'check email.smtp.host, port and security ("tls" for port 465, "starttls" for 587)')));
  }

  private take(chunk: string): void {
    this.buffer += chunk;
    if (this.buffer.length > MAX_REPLY_BYTES) {
      this.fail(new GuardError('delivery', `the SMTP server at ${this.where} sent an overlong reply`, 'check email.smtp.host and port: is it an SMTP server?'));
      this.socket.destroy();
      return;
    }
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      this.line(line);
    }
  }

  /** "250-first" continues a reply, "250 last" ends it (RFC 5321 4.2.1). */
  private line(line: string): void {
    const m = line.match(/^(\d{3})([ -]?)(.*)$/);
    if (!m) {
      this.fail(new GuardError('delivery', `the server at ${this.where} does not speak SMTP`, 'check email.smtp.host, port and security'));
      this.socket.destroy();
      return;
    }
    this.pending.push(m[3] ?? '');
    if (m[2] === '-') return;
    const reply = { code: Number(m[1]), lines: this.pending };
    this.pending = [];
    const w = this.waiter;
    this.waiter = undefined;
    if (w) w.resolve(reply);
    else this.replies.push(reply);
  }

  private fail(err: unknown): void {
    clearTimeout(this.timer);
    this.failure ??= err;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(this.failure);
  }
}

/** SNI takes a host name, never an IP address (RFC 6066); IP certificates are checked via `host`. */
function servername(host: string): { servername?: string } {
  return isIP(host) ? {} : { servername: host };
}
