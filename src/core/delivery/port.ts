/**
 * The delivery port: everything the engine needs from a way of reaching the human.
 * A message holds the code, so a delivery must put it only where the human reads it
 * (an inbox, a private outbox file, the controlling terminal) and never echo it back
 * in an error, a log line or a return value.
 */
export interface Message {
  readonly to: string;
  readonly from: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface Receipt {
  /** The provider's message id, when it gives one. Never the message itself. */
  readonly id?: string | undefined;
  /** What the provider answered, e.g. "HTTP 202" or "250 2.0.0 queued as 4XYZ". */
  readonly response?: string | undefined;
}

/**
 * What `theguard doctor` found out about the delivery's credentials without sending
 * mail: above all, whether they could read sent messages (and so codes) back.
 */
export interface ScopeFinding {
  readonly status: 'ok' | 'warn' | 'fail';
  readonly title: string;
  readonly detail?: string | undefined;
  readonly fix?: string | undefined;
}

export interface Delivery {
  /** Short name for logs and status: "file", "terminal", "resend", ... */
  readonly name: string;
  /** False for deliveries an agent running as the same user could read (file outbox, terminal). */
  readonly secure: boolean;
  /** One line for `theguard status`, e.g. where the outbox is. Shown to the human only. */
  describe(): string;
  send(message: Message): Promise<Receipt>;
  /** Deliveries with credentials: probe what the key may do, sending nothing. */
  probeKeyScope?(): Promise<ScopeFinding>;
}
