/**
 * Thrown when the analyser cannot say what a command would run: a syntax error, a
 * construct it does not model, or a bound exceeded. The caller turns it into a deny
 * when the command holds a guarded word, and never into an allow of something unseen.
 */
export class Unanalysable extends Error {
  constructor(readonly why: string) {
    super(why);
    this.name = 'Unanalysable';
  }
}
