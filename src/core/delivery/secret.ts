import { readFileSync } from 'node:fs';
import { GuardError, errnoCode } from '../errors.js';

/**
 * A provider key or SMTP password, read when a message is sent, never earlier: from an
 * environment variable, or from a file outside the project (the config check keeps it
 * there). The config names only where the secret lives. Errors name that place and
 * never the secret.
 */
export interface SecretSource {
  /** "the Resend API key", "the SMTP password" */
  readonly what: string;
  readonly env?: string | undefined;
  readonly file?: string | undefined;
  /** Config keys to point at in fixes: "email.apiKeyEnv", "email.apiKeyFile". */
  readonly envKey: string;
  readonly fileKey: string;
}

const MAX_SECRET_BYTES = 4096;

export function readSecret(src: SecretSource, env: NodeJS.ProcessEnv = process.env): string {
  const value = src.file ? fromFile(src, src.file) : fromEnv(src, env);
  // A line break in a header value would let the secret end one header and start another.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new GuardError('delivery', `${src.what} contains a line break or control character`,
      `store the secret alone on one line${src.file ? ` in ${src.file}` : ` in $${src.env}`}`);
  }
  return value;
}

function fromEnv(src: SecretSource, env: NodeJS.ProcessEnv): string {
  const value = src.env ? env[src.env]?.trim() : undefined;
  if (value) return value;
  throw new GuardError('delivery', `${src.what} is missing: the environment variable ${src.env ?? '(none named)'} is ${src.env && src.env in env ? 'empty' : 'not set'}`,
    `export ${src.env ?? 'the variable'} in the environment theguard runs in (the shell that starts your agent or git), or put the secret in a file outside the project and set ${src.fileKey}`);
}

function fromFile(src: SecretSource, file: string): string {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (err) {
    const code = errnoCode(err);
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? (err as Error).message})`;
    throw new GuardError('delivery', `${src.what} file ${file} ${why}`,
      `put the secret alone in ${file} (chmod 600), or set ${src.envKey} to the environment variable that holds it`, { cause: err });
  }
  const value = raw.length <= MAX_SECRET_BYTES ? raw.toString('utf8').trim() : '';
  if (!value) {
    throw new GuardError('delivery', `${src.what} file ${file} ${raw.length > MAX_SECRET_BYTES ? `is larger than ${MAX_SECRET_BYTES} bytes; it is not a key` : 'is empty'}`,
      `put the secret alone in ${file} (chmod 600)`);
  }
  return value;
}
