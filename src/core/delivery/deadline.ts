/**
 * The time one delivery may take, every attempt and wait included. The hooks that
 * request codes run under their callers' timeouts (Claude Code kills a slow hook), so
 * a delivery must end, in success or a clear failure, well inside them.
 */
export class Deadline {
  readonly at: number;

  constructor(readonly budgetMs: number, now = Date.now()) {
    this.at = now + budgetMs;
  }

  remaining(): number {
    return Math.max(0, this.at - Date.now());
  }

  /** "10 s": the budget as the human configured it. */
  describe(): string {
    return `${Math.round(this.budgetMs / 1000)} s`;
  }
}
