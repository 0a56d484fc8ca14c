/**
 * Every failure theguard reports names the problem and the fix. Callers that
 * guard an operation turn any error into a denial; nothing here ever means "allow".
 */
export type GuardErrorKind =
  | 'config' // the configuration is wrong; the human must edit it
  | 'state' // a state file is unusable (corrupt, tampered, foreign, symlinked)
  | 'delivery' // the code could not be delivered
  | 'no-tty' // an interactive step needs a terminal that is not there
  | 'usage' // the caller asked for something malformed
  | 'git' // git failed or the repository is not what the push guard expects
  | 'locked' // a lockout or cooldown is in force
  | 'internal';

export class GuardError extends Error {
  readonly kind: GuardErrorKind;
  readonly fix: string | undefined;

  constructor(kind: GuardErrorKind, message: string, fix?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GuardError';
    this.kind = kind;
    this.fix = fix;
  }

  /** One or two lines for a human: the problem, then the fix. */
  describe(): string {
    return this.fix ? `${this.message}\nFix: ${this.fix}` : this.message;
  }
}

export function describeError(err: unknown): string {
  if (err instanceof GuardError) return err.describe();
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

/** Node's fs errors carry a string code; this reads it without a cast at every call site. */
export function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;
}
