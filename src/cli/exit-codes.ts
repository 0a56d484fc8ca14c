/** Exit codes, documented in the README. Scripts and hooks rely on them. */
export const EXIT = {
  OK: 0,
  /** Something went wrong: bad config, unreadable state, delivery failure. */
  ERROR: 1,
  /** The command line was wrong. */
  USAGE: 2,
  /** A human must approve first: a code was sent (or is already out). */
  VERIFY_REQUIRED: 3,
  /** Refused: wrong or expired code, lockout, cooldown, nothing to approve. */
  DENIED: 4,
} as const;

export class CliExit extends Error {
  constructor(readonly exitCode: number, message: string) {
    super(message);
  }
}
