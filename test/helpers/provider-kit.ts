import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmailConfig } from '../../src/core/config.js';
import { createDelivery } from '../../src/core/delivery/index.js';
import type { Delivery, Message } from '../../src/core/delivery/port.js';
import { GuardError } from '../../src/core/errors.js';
import { validateConfig } from '../../src/config/load.js';
import { FakeApi } from './fake-api.js';
import { PROVIDER_API, type ProviderName } from './provider-api.js';
import { Sandbox } from './sandbox.js';
import { type TestPki, makePki } from './tls.js';

/**
 * One provider's fake API, a sandbox and a key file outside the project: what every
 * provider test needs. The fake checks every request as that provider documents it,
 * with this kit's key; `wellFormed()` (run after each test) says whether one was not.
 * The delivery trusts the test CA through its `ca` option.
 */
export class ProviderKit {
  readonly key = `test-key-${Math.random().toString(36).slice(2)}-secret`;
  readonly keyFile: string;

  private constructor(readonly sb: Sandbox, readonly pki: TestPki, readonly api: FakeApi) {
    mkdirSync(join(sb.base, 'keys'), { recursive: true, mode: 0o700 });
    this.keyFile = join(sb.base, 'keys', 'provider.key');
    writeFileSync(this.keyFile, `${this.key}\n`, { mode: 0o600 });
  }

  static async start(provider?: ProviderName, o: { domain?: string } = {}): Promise<ProviderKit> {
    const pki = makePki();
    const kit = new ProviderKit(new Sandbox({ git: false }), pki, await FakeApi.start(pki));
    if (provider) kit.api.expect(PROVIDER_API[provider]({ key: kit.key, ...o }));
    return kit;
  }

  /** The malformed requests the fake saw since the last answer(): none, in a passing test. */
  wellFormed(): void {
    if (this.api.problems.length > 0) throw new Error(`the fake provider refused malformed requests:\n${this.api.problems.join('\n')}`);
  }

  email(email: Record<string, unknown>): EmailConfig {
    return validateConfig({ email: { to: 'jane@example.com', from: 'theguard <guard@example.com>', apiKeyFile: this.keyFile, endpoint: this.api.url, ...email } }, { root: this.sb.repo, env: this.sb.env, file: null }).email;
  }

  delivery(email: Record<string, unknown>): Delivery {
    return createDelivery(this.email(email), { ca: this.pki.ca });
  }

  async stop(): Promise<void> {
    await this.api.close();
    this.pki.cleanup();
    this.sb.cleanup();
  }
}

export const CODE = '483920';

/** A message shaped like the real one: the code first, in text and HTML. */
export function codeMessage(code = CODE): Message {
  return {
    to: 'jane@example.com',
    from: 'theguard <guard@example.com>',
    subject: 'theguard: approve push to main',
    text: `Your theguard code: ${code}\n\nIt approves this operation once:\n  Operation:   push to main\n`,
    html: `<p>Your theguard code:</p><p style="font-size:32px">${code}</p><p>It approves: push to main &amp; nothing else</p>`,
  };
}

/** The GuardError a failed send threw (fails the test if it did not throw one). */
export async function failure(p: Promise<unknown>): Promise<GuardError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof GuardError) return err;
    throw err;
  }
  throw new Error('the send succeeded; a failure was expected');
}
