/** A string as one sh word: single-quoted, with embedded single quotes spliced in. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
