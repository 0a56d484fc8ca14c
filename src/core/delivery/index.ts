import type { EmailConfig } from '../config.js';
import { ApiDelivery } from './api-delivery.js';
import { FileDelivery } from './file.js';
import type { TransportOptions } from './https.js';
import { mailgun } from './mailgun.js';
import type { Delivery } from './port.js';
import { postmark } from './postmark.js';
import { resend } from './resend.js';
import { sendgrid } from './sendgrid.js';
import { SmtpDelivery } from './smtp.js';

export type { Delivery, Message, Receipt, ScopeFinding } from './port.js';
export type { TransportOptions } from './https.js';
export { FileDelivery } from './file.js';
export { TerminalDelivery } from './terminal.js';

/** The delivery the configuration asks for. `t` adds trusted CAs (tests); production passes nothing. */
export function createDelivery(email: EmailConfig, t: TransportOptions = {}): Delivery {
  switch (email.provider) {
    case 'file':
      return new FileDelivery(email.outbox);
    case 'resend':
      return new ApiDelivery(resend, email, t);
    case 'postmark':
      return new ApiDelivery(postmark, email, t);
    case 'sendgrid':
      return new ApiDelivery(sendgrid, email, t);
    case 'mailgun':
      return new ApiDelivery(mailgun, email, t);
    case 'smtp':
      return new SmtpDelivery(email, t);
  }
}
