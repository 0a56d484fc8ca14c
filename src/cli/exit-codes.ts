/** Exit codes, documented in the README. Scripts and hooks rely on them. */
export const EXIT = {
  OK: 0,
  /** Something went wrong: bad config, unreadable state, delivery failure. */
  ERROR: 1,
  /** The command line was wrong, or input is missing (several pending and no terminal to pick one). */
  USAGE: 2,
  /** A human must approve first: a code was sent (or is already out). */
  VERIFY_REQUIRED: 3,
  /** Refused: wrong or expired code, lockout, cooldown, nothing to approve, the new-code rate limit. */
  DENIED: 4,
  /** `exec`: the approved command could not be started (as a shell says). */
  CANNOT_RUN: 127,
  /** Ctrl-C at a code prompt (128 + SIGINT, as a shell says). */
  CANCELLED: 130,
} as const;

export class CliExit extends Error {
  constructor(readonly exitCode: number, message: string) {
    super(message);
  }
}
