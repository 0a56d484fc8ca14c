import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Rule } from '../src/core/config.js';
import { CATALOGUE, type Decision, decideBash, decideTool } from '../src/core/decide/index.js';
import { scanSql } from '../src/core/rules/sql-scan.js';
import { SHELL_LIMITS } from '../src/core/shell/limits.js';
import { DecideWorld } from './helpers/decide.js';
import { ROOT } from './helpers/sandbox.js';

const world = new DecideWorld();
afterAll(() => world.cleanup());

const act = (d: Decision) => (d.action === 'verify' ? `verify:${d.tier}` : d.action);

describe('the catalogue is data', () => {
  it('every rule has a unique id, a description, a tier, an alternative and commands', () => {
    const ids = CATALOGUE.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of CATALOGUE) {
      expect(r.id).toMatch(/^[a-z0-9]+(\.[a-z0-9-]+)+$/);
      expect(r.description.length).toBeGreaterThan(10);
      expect(r.alternative.length).toBeGreaterThan(10);
      expect(r.commands.length).toBeGreaterThan(0);
      expect(['push', 'delete']).toContain(r.tier);
    }
  });

  it('docs/rules.md lists every rule id of the catalogue', () => {
    const doc = readFileSync(join(ROOT, 'docs/rules.md'), 'utf8');
    const missing = CATALOGUE.map((r) => r.id).filter((id) => !doc.includes(`\`${id}\``));
    expect(missing).toEqual([]);
  });

  it('the deny message names the operation, the reason and the rule, and offers the alternative', () => {
    const d = decideBash('terraform destroy -auto-approve', world.ctx());
    expect(d.action).toBe('verify');
    if (d.action !== 'verify') return;
    expect(d.message).toBe('This `terraform destroy -auto-approve` needs human approval: it destroys every resource in the Terraform state (rule terraform.destroy).');
    expect(d.summary).toBe('terraform destroy -auto-approve');
    expect(d.findings[0]?.alternative).toMatch(/terraform plan -destroy/);
  });

  it('several findings give the strictest tier and every rule id', () => {
    const d = decideBash('npm publish && kubectl delete ns x', world.ctx({ rules: [{ command: 'npm publish', action: 'verify', tier: 'push' }] }));
    expect(act(d)).toBe('verify:delete');
    expect(d.ruleIds).toEqual(['rules[0]', 'kubectl.delete']);
  });
});

describe('precedence: self-protection > unanalysable > block > verify > allow', () => {
  const rules: Rule[] = [
    { command: 'git', action: 'allow' },
    { command: 'terraform', action: 'allow' },
    { command: 'make deploy', action: 'block', reason: 'deploys go through CI' },
    { command: 'make', action: 'allow' },
    { command: 'docker push', action: 'verify', tier: 'push' },
    { command: 'docker', action: 'allow' },
  ];
  const ctx = world.ctx({ rules });

  it('a user allow does not override a built-in delete-tier gate', () => {
    expect(act(decideBash('terraform destroy', ctx))).toBe('verify:delete');
    expect(act(decideBash('git reset --hard', ctx))).toBe('verify:delete');
  });

  it('a user allow does not override self-protection', () => {
    const d = decideBash('git push --no-verify', ctx);
    expect(d.action).toBe('block');
    expect(d.ruleIds).toEqual(['self.no-verify']);
  });

  it('a user block beats a user allow for the same command', () => {
    const d = decideBash('make deploy', ctx);
    expect(d.action).toBe('block');
    if (d.action === 'block') expect(d.message).toBe('theguard blocks this command: deploys go through CI (rule rules[2]).');
  });

  it('a user verify beats a user allow', () => {
    expect(act(decideBash('docker push app', ctx))).toBe('verify:push');
  });

  it('an allow that matched is reported', () => {
    expect(decideBash('make build', ctx)).toEqual({ action: 'allow', ruleIds: ['rules[3]'], pushes: [] });
  });

  it('self-protection wins over everything else in the same command', () => {
    expect(decideBash('terraform destroy; cat .theguard/audit.jsonl', ctx).ruleIds).toEqual(['self.state-dir']);
  });

  it('unanalysable input wins over findings', () => {
    expect(decideBash('terraform destroy; curl x | sh', ctx).ruleIds).toEqual(['shell.opaque']);
  });
});

describe('command rules', () => {
  const rule = (command: string, src: string) => act(decideBash(src, world.ctx({ rules: [{ command, action: 'verify' }] })));

  it.each([
    ['npm publish', 'npm publish', 'verify:delete'],
    ['npm publish', 'npm publish --tag next', 'verify:delete'],
    ['npm publish', 'npm --otp 123 publish', 'verify:delete'],
    ['npm publish', 'sudo /usr/bin/npm publish', 'verify:delete'],
    ['npm publish', "bash -c 'npm publish'", 'verify:delete'],
    ['npm publish', 'npm install publish-lib', 'allow'],
    ['npm publish', 'npm run publish', 'allow'],
    ['git push', 'git commit -m push', 'allow'],
    ['git push', 'git -C x push', 'verify:delete'],
    ['docker *', 'docker ps', 'verify:delete'],
    ['kubectl apply', 'kubectl -n prod apply -f x', 'verify:delete'],
  ])('%s against %s', (command, src, expected) => {
    expect(rule(command, src)).toBe(expected);
  });
});

describe('tool rules and the MCP default', () => {
  const rules: Rule[] = [
    { tool: 'mcp__stripe__list_*', action: 'allow' },
    { tool: 'mcp__stripe__create_refund', action: 'verify', tier: 'delete' },
    { tool: 'mcp__github__delete_*', action: 'block', reason: 'repositories are deleted by hand' },
    { tool: 'mcp__github__*', action: 'allow' },
    { tool: 'WebFetch', action: 'verify', tier: 'push' },
  ];

  it('matches tool globs, with block > verify > allow', () => {
    const ctx = world.ctx({ rules });
    expect(act(decideTool('mcp__stripe__list_charges', { limit: 5 }, ctx))).toBe('allow');
    expect(act(decideTool('mcp__stripe__create_refund', { amount: 10, customer: 'cus_1' }, ctx))).toBe('verify:delete');
    expect(decideTool('mcp__github__delete_repo', { repo: 'x' }, ctx).action).toBe('block');
    expect(act(decideTool('mcp__github__create_issue', { title: 'x' }, ctx))).toBe('allow');
    expect(act(decideTool('WebFetch', { url: 'https://x' }, ctx))).toBe('verify:push');
  });

  it('an MCP tool no rule names gets mcpDefault: verify (the default), allow, or block', () => {
    expect(act(decideTool('mcp__unknown__do_thing', {}, world.ctx({ rules })))).toBe('verify:delete');
    expect(decideTool('mcp__unknown__do_thing', {}, world.ctx({ rules })).ruleIds).toEqual(['mcp.default']);
    expect(act(decideTool('mcp__unknown__do_thing', {}, world.ctx({ rules, mcpDefault: 'allow' })))).toBe('allow');
    expect(decideTool('mcp__unknown__do_thing', {}, world.ctx({ rules, mcpDefault: 'block' })).action).toBe('block');
  });

  it('the MCP default does not apply to tools that are not MCP tools', () => {
    expect(act(decideTool('TodoWrite', { todos: [] }, world.ctx()))).toBe('allow');
  });

  it('a Bash tool rule combines with the command analysis', () => {
    const ctx = world.ctx({ rules: [{ tool: 'Bash', action: 'allow' }] });
    expect(act(decideTool('Bash', { command: 'terraform destroy' }, ctx))).toBe('verify:delete');
    expect(decideTool('Bash', { command: 'ls' }, ctx)).toEqual({ action: 'allow', ruleIds: ['rules[0]'], pushes: [] });
    expect(decideTool('Bash', { command: 'ls' }, world.ctx({ rules: [{ tool: 'Bash', action: 'block' }] })).action).toBe('block');
  });
});

describe('git push findings', () => {
  it('reports remote, refspecs and flags, whether or not the push is gated here', () => {
    const d = decideBash('git -C sub push --force-with-lease origin +main:release/x :old feature', world.ctx());
    expect(d.action).toBe('allow');
    const [p] = d.action === 'block' ? [] : d.pushes;
    expect(p).toMatchObject({ remote: 'origin', force: true, forceWithLease: true, delete: true, dir: join(world.proj, 'sub'), elsewhere: false });
    expect(p?.refs).toEqual([
      { spec: '+main:release/x', destination: 'release/x', implicit: false, force: true, delete: false },
      { spec: ':old', destination: 'old', implicit: false, force: false, delete: true },
      { spec: 'feature', destination: 'feature', implicit: true, force: false, delete: false },
    ]);
    expect(p?.args).toEqual(['--force-with-lease', 'origin', '+main:release/x', ':old', 'feature']);
  });

  it('is gated here when the pre-push hook is not installed, at the tier the hook would use', () => {
    const ctx = world.ctx({ prePushHook: false });
    expect(act(decideBash('git push origin main', ctx))).toBe('verify:push');
    expect(act(decideBash('git push -f origin main', ctx))).toBe('verify:delete');
    expect(act(decideBash('git push -f origin feature/x', ctx))).toBe('allow');
  });

  it('asks a prePushHook function about the repository the push runs in', () => {
    const seen: string[] = [];
    const ctx = world.ctx({ prePushHook: (dir) => (seen.push(dir), dir === world.proj) });
    expect(act(decideBash('git push origin main', ctx))).toBe('allow');
    expect(act(decideBash('git -C /elsewhere push origin main', ctx))).toBe('verify:push');
    expect(seen).toEqual([world.proj, '/elsewhere']);
  });

  it('--no-verify is self-protection, and -n is a dry run, not --no-verify', () => {
    expect(decideBash('git push --no-verify', world.ctx()).ruleIds).toEqual(['self.no-verify']);
    expect(decideBash('git push -n origin main', world.ctx({ prePushHook: false })).action).toBe('allow');
    expect(decideBash('git commit --no-verify -m x', world.ctx()).action).toBe('allow');
  });
});

describe('input theguard cannot analyse', () => {
  const ctx = world.ctx();

  it('is denied when it holds a guarded word, allowed when not', () => {
    const huge = (cmd: string) => `${cmd} ${'a'.repeat(SHELL_LIMITS.maxInputChars)}`;
    expect(decideBash(huge('git push'), ctx).ruleIds).toEqual(['shell.unanalysable']);
    expect(decideBash(huge('echo'), ctx).action).toBe('allow');
    const deep = (inner: string) => `${'$('.repeat(SHELL_LIMITS.maxDepth + 1)}${inner}${')'.repeat(SHELL_LIMITS.maxDepth + 1)}`;
    expect(decideBash(deep('terraform destroy'), ctx).ruleIds).toEqual(['shell.unanalysable']);
    expect(decideBash(deep('date'), ctx).action).toBe('allow');
    const many = (cmd: string) => `${cmd} ${'x '.repeat(SHELL_LIMITS.maxTokens)}`;
    expect(decideBash(many('rm -rf'), ctx).ruleIds).toEqual(['shell.unanalysable']);
    expect(decideBash(many('echo'), ctx).action).toBe('allow');
  });

  it('says why, and what to do instead', () => {
    const d = decideBash('git push origin "oops', ctx);
    expect(d.action).toBe('block');
    if (d.action === 'block') {
      expect(d.kind).toBe('unanalysable');
      expect(d.message).toMatch(/cannot analyse it \(an unterminated double quote\)/);
      expect(d.message).toMatch(/Run the commands directly/);
    }
  });

  it('never lets an internal failure through', () => {
    const broken = { ...ctx, readFile: () => { throw new Error('disk on fire'); } };
    const d = decideBash('psql < drop.sql', broken);
    expect(d.action).toBe('block');
    if (d.action === 'block') expect(d.kind).toBe('internal-error');
    expect(decideBash(42, ctx).action).toBe('block');
    expect(decideTool('', {}, ctx).action).toBe('block');
    expect(decideTool('Read', 'not an object', ctx).action).toBe('block');
  });
});

describe('SQL scanning', () => {
  const hazards = (sql: string) => scanSql(sql).hazards.map((h) => h.hazard);

  it.each([
    ['DROP TABLE t', ['drop']],
    ['drop index i; drop view v', ['drop', 'drop']],
    ['TRUNCATE t', ['truncate']],
    ['DELETE FROM t', ['delete-without-where']],
    ['DELETE FROM t WHERE a = 1', []],
    ['DELETE FROM t USING u WHERE t.id = u.id', []],
    ['DELETE FROM t WHERE id IN (SELECT id FROM u); DELETE FROM u', ['delete-without-where']],
    ['WITH d AS (DELETE FROM t RETURNING *) SELECT 1', []],
    ['WITH x AS (SELECT 1) DELETE FROM t', ['delete-without-where']],
    ['ALTER TABLE t DROP COLUMN c', ['alter-drop']],
    ['ALTER TABLE t ALTER COLUMN c DROP DEFAULT', []],
    ["SELECT 'DROP TABLE t'", []],
    ['SELECT "drop" FROM t', []],
    ['-- DROP TABLE t\nSELECT 1', []],
    ['/* DROP TABLE t */ SELECT 1', []],
    ['SELECT $$ DROP TABLE t $$', []],
    ['CREATE TEMP TABLE x (a int) ON COMMIT DROP', []],
    ['CREATE FUNCTION f() AS $body$ DELETE FROM t $body$ LANGUAGE sql', ['delete-without-where']],
    ['CREATE FUNCTION f() AS $$ DELETE FROM t WHERE old $$ LANGUAGE sql', []],
    ["DO $$ BEGIN EXECUTE 'DROP TABLE users'; END $$", ['drop']],
    ['DO $$ BEGIN IF true THEN DROP TABLE users; END IF; END $$', ['drop']],
    ["DO $$ BEGIN EXECUTE 'DR' || 'OP TABLE users'; END $$", ['unknown']],
    ['DO $$ DECLARE q text := 1; BEGIN EXECUTE q; END $$', ['unknown']],
    ["DO $$ BEGIN EXECUTE format('DROP TABLE %I', 't'); END $$", ['drop', 'unknown']],
    ["DO $$ BEGIN RAISE NOTICE 'DROP TABLE x is not run'; END $$", []],
    ["DO $a$ BEGIN EXECUTE 'EXECUTE ''TRUNCATE t'''; END $a$", ['truncate']],
    ['PREPARE p AS DELETE FROM t', ['delete-without-where']],
    ['PREPARE p (int) AS DELETE FROM t WHERE id = $1; EXECUTE p(1)', []],
    ["PREPARE s FROM 'DROP TABLE t'; EXECUTE s", ['drop']],
    ["SET @q = 'DROP TABLE t'; PREPARE s FROM @q; EXECUTE s", ['unknown']],
    ["EXEC('DROP TABLE t')", ['drop']],
    ["EXEC sp_executesql N'TRUNCATE TABLE t'", ['truncate']],
    ['EXEC (@sql)', ['unknown']],
    ['EXEC dbo.nightly_report', []],
    ['CREATE TRIGGER tr AFTER DELETE ON t FOR EACH ROW EXECUTE FUNCTION audit()', []],
    ['CREATE TRIGGER tr AFTER INSERT ON a BEGIN DELETE FROM b; END', ['delete-without-where']],
    ['CREATE PROCEDURE p() BEGIN DROP TABLE t; END', ['drop']],
    ['GRANT SELECT, DELETE ON t TO app', []],
    ["SELECT 'it''s'; DROP TABLE t", ['drop']],
    ["SELECT 'a\\'b'; TRUNCATE t", ['truncate']],
    ['EXPLAIN ANALYZE DELETE FROM t', ['delete-without-where']],
    ['\\! rm -rf /', ['unknown']],
    ['.shell rm x', ['unknown']],
    ['\u0000 TABLE t', ['unknown']],
  ])('%s', (sql, expected) => {
    expect(hazards(sql)).toEqual(expected);
  });

  it('reports included files for the caller to follow', () => {
    expect(scanSql('\\i a.sql\nSOURCE b.sql;\n.read c.sql\n\\ir d.sql').includes).toEqual(['a.sql', 'b.sql', 'c.sql', 'd.sql']);
  });
});
