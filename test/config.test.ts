import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { configJsonSchema, configSchema } from '../src/config/schema.js';
import { ROOT, Sandbox } from './helpers/sandbox.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

const load = (cwd?: string) => loadConfig({ cwd: cwd ?? sb.repo, env: sb.env });

async function problems(config: unknown, name = '.theguard.json'): Promise<string> {
  writeFileSync(join(sb.repo, name), typeof config === 'string' ? config : JSON.stringify(config));
  const res = await sb.cli(['config', 'check']);
  expect(res.code).toBe(1);
  return res.stderr;
}

describe('finding the configuration', () => {
  it('runs on embedded defaults when there is no file: file outbox outside the project, .theguard at the root', async () => {
    sb = new Sandbox();
    const { config, file, root } = await load();
    expect(file).toBeNull();
    expect(root).toBe(sb.repo);
    expect(config.email.provider).toBe('file');
    expect(config.email.outbox).toBe(sb.outbox);
    expect(config.stateDir).toBe(join(sb.repo, '.theguard'));
  });

  it('finds .theguard.json at the project root from a subdirectory', async () => {
    sb = new Sandbox({ config: { grantTtlSeconds: 30 } });
    mkdirSync(join(sb.repo, 'a/b'), { recursive: true });
    const { config, file } = await load(join(sb.repo, 'a/b'));
    expect(file).toBe(join(sb.repo, '.theguard.json'));
    expect(config.grantTtlSeconds).toBe(30);
    expect(config.stateDir).toBe(join(sb.repo, '.theguard'));
  });

  it('reads a "theguard" key in package.json', async () => {
    sb = new Sandbox();
    writeFileSync(join(sb.repo, 'package.json'), JSON.stringify({ name: 'x', theguard: { push: { maxAttempts: 2 } } }));
    expect((await load()).config.push.maxAttempts).toBe(2);
  });

  it('reads YAML rc files', async () => {
    sb = new Sandbox();
    writeFileSync(join(sb.repo, '.theguardrc.yaml'), 'delete:\n  lockoutSeconds: 1800\n');
    expect((await load()).config.delete.lockoutSeconds).toBe(1800);
  });

  it('falls back to the user-level config in $XDG_CONFIG_HOME/theguard', async () => {
    sb = new Sandbox();
    const userConfig = join(sb.base, 'config', 'theguard', 'config.json');
    mkdirSync(join(sb.base, 'config', 'theguard'), { recursive: true });
    writeFileSync(userConfig, JSON.stringify({ email: { to: 'me@example.com' } }));
    const res = await sb.cli(['config', 'check', '--json']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ file: userConfig, config: { email: { to: 'me@example.com' } } });
  });

  it('prefers the project config over the user-level one', async () => {
    sb = new Sandbox({ config: { email: { to: 'project@example.com' } } });
    mkdirSync(join(sb.base, 'config', 'theguard'), { recursive: true });
    writeFileSync(join(sb.base, 'config', 'theguard', 'config.json'), JSON.stringify({ email: { to: 'me@example.com' } }));
    const res = await sb.cli(['config', 'check', '--json']);
    expect(JSON.parse(res.stdout)).toMatchObject({ config: { email: { to: 'project@example.com' } } });
  });

  it('refuses configuration written as code, naming the file and the fix', async () => {
    sb = new Sandbox();
    const err = await problems('module.exports = { grantTtlSeconds: 5 }', 'theguard.config.js');
    expect(err).toMatch(/theguard\.config\.js is a code file.*never runs code from the project/s);
    expect(err).toMatch(/move the settings to \.theguard\.json/);
  });

  it('names the file when its JSON is broken', async () => {
    sb = new Sandbox();
    const err = await problems('{ "push": { "maxAttempts": 3, } }');
    expect(err).toContain(join(sb.repo, '.theguard.json'));
    expect(err).toMatch(/Fix: correct the syntax/);
  });
});

describe('every config error names the key and the fix', () => {
  it('a typo in a key gets a suggestion', async () => {
    sb = new Sandbox();
    const err = await problems({ emial: { to: 'a@b.c' } });
    expect(err).toMatch(/emial is not a theguard setting\. Fix: did you mean "email"\?/);
  });

  it('an out-of-range number says the bound and the fix', async () => {
    sb = new Sandbox();
    const err = await problems({ push: { maxAttempts: 50 } });
    expect(err).toMatch(/push\.maxAttempts must be at most 10 \(it is 50\)\. Fix: use a value no larger than 10/);
  });

  it('a wrong type says what type is needed', async () => {
    sb = new Sandbox();
    const err = await problems({ grantTtlSeconds: '120' });
    expect(err).toMatch(/grantTtlSeconds must be a number \(it is "120"\)\. Fix: set it to a number/);
  });

  it('a bad choice lists the choices', async () => {
    sb = new Sandbox();
    const err = await problems({ emailFallback: 'stdout' });
    expect(err).toMatch(/emailFallback must be one of "none", "terminal" \(it is "stdout"\)/);
  });

  it('an API key in the project config is refused: it names the safe places for it', async () => {
    sb = new Sandbox();
    const err = await problems({ email: { apiKey: 're_123' } });
    expect(err).toMatch(/email\.apiKey: API keys never live in project config.*email\.apiKeyEnv.*email\.apiKeyFile/s);
    expect(err).not.toContain('re_123');
  });

  it('an API key file inside the project is refused', async () => {
    sb = new Sandbox();
    const err = await problems({ email: { apiKeyFile: join(sb.repo, 'key.txt') } });
    expect(err).toMatch(/email\.apiKeyFile is inside the project.*Fix: move the key file outside/s);
  });

  it('an outbox inside the project is refused', async () => {
    sb = new Sandbox();
    const err = await problems({ email: { outbox: join(sb.repo, 'mail') } });
    expect(err).toMatch(/email\.outbox is inside the project.*Fix: use a directory outside/s);
  });

  it('a rule must name exactly one of tool or command', async () => {
    sb = new Sandbox();
    const err = await problems({ rules: [{ tool: 'x', command: 'y', action: 'allow' }] });
    expect(err).toMatch(/rules\[0\]: a rule names exactly one of "tool" or "command"/);
  });

  it('reports every problem at once, not just the first', async () => {
    sb = new Sandbox();
    const err = await problems({ push: { maxAttempts: 0 }, delete: { cooldownSeconds: -1 }, rules: [{ tool: 'x', action: 'maybe' }] });
    expect(err).toMatch(/push\.maxAttempts must be at least 1/);
    expect(err).toMatch(/delete\.cooldownSeconds must be at least 0/);
    expect(err).toMatch(/rules\[0\]\.action must be one of "allow", "verify", "block"/);
  });

  it('config check succeeds on a valid file and shows what it resolved to', async () => {
    sb = new Sandbox({ config: { email: { to: 'jane@example.com' }, delete: { maxAttempts: 2 } } });
    const res = await sb.cli(['config', 'check']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Configuration OK: .*\.theguard\.json/);
    expect(res.stdout).toMatch(/delete tier: .*2 attempts/);
    expect(res.stdout).toMatch(/INSECURE/);
  });
});

describe('the JSON Schema', () => {
  it('ships in schema/ and matches the zod schema', () => {
    const shipped = JSON.parse(readFileSync(join(ROOT, 'schema/theguard.schema.json'), 'utf8')) as Record<string, unknown>;
    expect(shipped).toEqual({ ...configJsonSchema(), title: 'theguard configuration' });
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).files).toContain('schema');
  });

  it('the example config points to it with $schema and is valid', () => {
    const example = JSON.parse(readFileSync(join(ROOT, '.theguard.example.json'), 'utf8')) as { $schema: string };
    expect(example.$schema).toBe('./node_modules/theguard/schema/theguard.schema.json');
    expect(configSchema.safeParse(example).success).toBe(true);
  });
});
