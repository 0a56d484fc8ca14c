import { describe, expect, it } from 'vitest';
import { COSMETIC_FIELDS, toolCallParams, toolFingerprint, toolOperation } from '../src/core/decide/index.js';
import { checkOperation } from '../src/core/operation.js';

describe('tool-call fingerprints', () => {
  const fp = (tool: string, input: unknown, cwd = '/p', tier: 'push' | 'delete' = 'delete') => toolFingerprint(tool, input, cwd, tier);

  it('approving a refund of 10 to cus_1 does not approve 1000 to cus_2', () => {
    const a = fp('mcp__stripe__create_refund', { amount: 10, customer: 'cus_1' });
    expect(fp('mcp__stripe__create_refund', { customer: 'cus_1', amount: 10 })).toBe(a);
    expect(fp('mcp__stripe__create_refund', { amount: 1000, customer: 'cus_2' })).not.toBe(a);
    expect(fp('mcp__stripe__create_refund', { amount: 10, customer: 'cus_2' })).not.toBe(a);
    expect(fp('mcp__stripe__create_refund', { amount: 10, customer: 'cus_1', reason: 'x' })).not.toBe(a);
  });

  it('covers the tool name, the cwd and the tier', () => {
    const a = fp('mcp__x__y', { a: 1 });
    expect(fp('mcp__x__z', { a: 1 })).not.toBe(a);
    expect(fp('mcp__x__y', { a: 1 }, '/q')).not.toBe(a);
    expect(fp('mcp__x__y', { a: 1 }, '/p/')).toBe(a);
    expect(fp('mcp__x__y', { a: 1 }, '/p', 'push')).not.toBe(a);
  });

  it("ignores Bash's cosmetic fields: description, timeout, run_in_background", () => {
    expect(COSMETIC_FIELDS.Bash).toEqual(['description', 'timeout', 'run_in_background']);
    const a = fp('Bash', { command: 'terraform destroy' });
    expect(fp('Bash', { command: 'terraform destroy', description: 'Tear down', timeout: 600000, run_in_background: true })).toBe(a);
    expect(fp('Bash', { command: 'terraform destroy ' })).not.toBe(a);
    expect(fp('Bash', { command: 'terraform destroy', dangerouslyDisableSandbox: true })).not.toBe(a);
  });

  it('keeps every field of other tools, cosmetic-sounding or not', () => {
    expect(fp('mcp__x__y', { description: 'a' })).not.toBe(fp('mcp__x__y', { description: 'b' }));
    expect(fp('Edit', { file_path: '/p/a', old_string: 'x', new_string: 'y', replace_all: false })).not.toBe(fp('Edit', { file_path: '/p/a', old_string: 'x', new_string: 'y', replace_all: true }));
  });

  it('builds a valid operation whose summary comes from the call alone', () => {
    const op = toolOperation('Bash', { command: 'kubectl delete ns prod', description: 'x' }, '/p', 'delete');
    expect(op).toEqual({ tier: 'delete', action: 'tool.bash', summary: '$ kubectl delete ns prod', params: { tool: 'Bash', input: { command: 'kubectl delete ns prod' }, cwd: '/p' } });
    expect(checkOperation(op)).toEqual(op);
    const mcp = toolOperation('mcp__stripe__create_refund', { amount: 10, customer: 'cus_1' }, '/p', 'delete');
    expect(mcp.action).toBe('tool.mcp');
    expect(mcp.summary).toBe('mcp__stripe__create_refund {"amount":10,"customer":"cus_1"}');
    expect(checkOperation(mcp)).toEqual(mcp);
  });

  it('params are plain JSON, ready for the email', () => {
    expect(toolCallParams('Write', { file_path: '/p/x', content: 'hi' }, '/p/sub/..')).toEqual({ tool: 'Write', input: { file_path: '/p/x', content: 'hi' }, cwd: '/p' });
    expect(toolCallParams('mcp__x__y', null, '/p').input).toEqual({});
  });
});
