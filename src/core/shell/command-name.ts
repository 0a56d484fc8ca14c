/** The name a command word runs: basename, lowercased (case-insensitive file systems run `GIT` as git). */
export function commandName(word: string): string {
  const slash = word.lastIndexOf('/');
  return (slash === -1 ? word : word.slice(slash + 1)).toLowerCase();
}
