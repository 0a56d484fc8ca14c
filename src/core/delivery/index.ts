import type { EmailConfig } from '../config.js';
import { FileDelivery } from './file.js';
import type { Delivery } from './port.js';

export type { Delivery, Message, Receipt } from './port.js';
export { FileDelivery } from './file.js';
export { TerminalDelivery } from './terminal.js';

/** The delivery the configuration asks for. */
export function createDelivery(email: EmailConfig): Delivery {
  switch (email.provider) {
    case 'file':
      return new FileDelivery(email.outbox);
  }
}
