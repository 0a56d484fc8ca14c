/**
 * One-line text for messages and summaries, without loading node:crypto (operation.ts
 * does): the hook's fast path must stay light. Same normalisation as operation.ts's
 * oneLine, so a summary built here passes checkOperation unchanged.
 */
export function oneLine(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
