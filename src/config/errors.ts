import type { z } from 'zod';
import { GuardError } from '../core/errors.js';

/**
 * Turn zod issues into lines a human can act on: the key, what is wrong with it, and
 * the fix. "push.maxAttempts must be at most 10 (it is 50). Fix: use a whole number from 1 to 10."
 */
type Issue = z.core.$ZodIssue;

const KNOWN_KEYS: Record<string, string[]> = {
  '': ['$schema', 'email', 'emailFallback', 'stateDir', 'grantTtlSeconds', 'push', 'delete', 'rules', 'mcpDefault', 'rateLimit'],
  rateLimit: ['perSession', 'perProject', 'windowSeconds'],
  email: ['provider', 'to', 'from', 'apiKeyEnv', 'apiKeyFile', 'endpoint', 'domain', 'region', 'smtp', 'timeoutSeconds', 'outbox'],
  'email.smtp': ['host', 'port', 'security', 'username', 'passwordEnv', 'passwordFile'],
  push: ['codeTtlSeconds', 'maxAttempts', 'lockoutSeconds', 'cooldownSeconds', 'protectedBranches', 'guardForceAndDeleteOnAllBranches'],
  delete: ['codeTtlSeconds', 'maxAttempts', 'lockoutSeconds', 'cooldownSeconds'],
  rule: ['tool', 'command', 'action', 'tier', 'reason'],
};

export function keyPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const p of path) v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

const show = (v: unknown): string => (v === undefined ? 'missing' : JSON.stringify(v));

export function describeIssue(issue: Issue, input: unknown): string {
  const key = keyPath(issue.path) || '(top level)';
  const got = valueAt(input, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (got === undefined) return `${key} is required. Fix: add "${key}" (${issue.expected}).`;
      return `${key} must be a ${issue.expected} (it is ${show(got)}). Fix: set it to a ${issue.expected}.`;
    case 'too_big':
    case 'too_small': {
      const range = rangeOf(issue);
      return `${key} ${issue.code === 'too_big' ? `must be at most ${issue.maximum}` : `must be at least ${issue.minimum}`} (it is ${show(got)}). Fix: ${range}.`;
    }
    case 'invalid_value':
      return `${key} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')} (it is ${show(got)}). Fix: pick one of those.`;
    case 'invalid_format':
      return `${key} ${issue.message.startsWith('must') ? issue.message : `is not a valid ${issue.format}`} (it is ${show(got)}). Fix: correct the value.`;
    case 'unrecognized_keys':
      return issue.keys.map((k) => unknownKey(issue.path, k)).join('\n');
    default:
      return `${key}: ${issue.message}. Fix: correct "${key}".`;
  }
}

function rangeOf(issue: Issue): string {
  if (issue.code !== 'too_big' && issue.code !== 'too_small') return 'correct the value';
  if (issue.origin === 'array') return issue.code === 'too_big' ? `keep at most ${issue.maximum} entries` : `give at least ${issue.minimum}`;
  if (issue.origin === 'string') return issue.code === 'too_big' ? `shorten it to ${issue.maximum} characters` : `give at least ${issue.minimum} characters`;
  return issue.code === 'too_big' ? `use a value no larger than ${issue.maximum}` : `use a value no smaller than ${issue.minimum}`;
}

function unknownKey(path: readonly PropertyKey[], k: string): string {
  const where = keyPath([...path, k]);
  if (/^(api_?key|apikey|key|token|secret|password|pass)$/i.test(k) && keyPath(path) === 'email.smtp') {
    return `${where}: passwords never live in project config (the agent can read it). Fix: remove it; put the password in an environment variable and set email.smtp.passwordEnv, or in a file outside the project and set email.smtp.passwordFile.`;
  }
  if (/^(api_?key|apikey|key|token|secret|password)$/i.test(k)) {
    return `${where}: API keys never live in project config (the agent can read it). Fix: remove it; put the key in an environment variable and set email.apiKeyEnv, or in a file outside the project and set email.apiKeyFile.`;
  }
  const section = typeof path[path.length - 1] === 'number' ? 'rule' : keyPath(path);
  const known = KNOWN_KEYS[section] ?? [];
  const guess = known.find((c) => similar(c, k));
  return `${where} is not a theguard setting. Fix: ${guess ? `did you mean "${guess}"?` : `remove it (known keys here: ${known.join(', ')})`}`;
}

/** Edit distance of at most 2, or a case-insensitive match: enough for typos. */
function similar(a: string, b: string): boolean {
  if (a.toLowerCase() === b.toLowerCase()) return true;
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > 2) return false;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return (prev[n] ?? 99) <= 2;
}

export class ConfigError extends GuardError {
  readonly file: string | null;
  readonly problems: string[];
  constructor(file: string | null, problems: string[]) {
    const where = file ?? 'the configuration';
    super('config', `${where} is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`, `edit ${where}; \`theguard config check\` shows what is wrong`);
    this.name = 'ConfigError';
    this.file = file;
    this.problems = problems;
  }
}
