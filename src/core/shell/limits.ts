/**
 * Bounds on shell analysis. The analyser runs on every agent tool call, on input the
 * agent chose, so every dimension is capped: a command over a bound is not analysed
 * (and is denied if it holds a guarded word), never analysed slowly.
 */
export const SHELL_LIMITS = {
  /** Characters in one command. Claude Code commands with heredocs stay far below this. */
  maxInputChars: 128 * 1024,
  /** Words, operators and redirects across the whole command, nested scripts included. */
  maxTokens: 20_000,
  /** Nesting of subshells, groups, substitutions and `bash -c` / `eval` layers. */
  maxDepth: 12,
  /** Script files read to follow `bash file.sh`, `source`, `psql -f` (bytes). */
  maxScriptBytes: 256 * 1024,
  /** Words a brace expression may expand to before it is treated as unknown. */
  maxBraceExpansions: 64,
  /** Wrapper layers (sudo env nice timeout ...) peeled off one command. */
  maxWrappers: 16,
} as const;
