#!/usr/bin/env node
// A tiny MCP server over stdio (JSON-RPC 2.0, one message per line), standing in for a
// payments server. Its tools: create_refund and list_customers. Every tools/call is
// appended to the file named by argv[2], so a test can see what actually ran.
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const log = process.argv[2];
const tools = [
  {
    name: 'create_refund',
    description: 'Refund an amount to a customer.',
    inputSchema: { type: 'object', properties: { amount: { type: 'number' }, customer: { type: 'string' } }, required: ['amount', 'customer'] },
  },
  { name: 'list_customers', description: 'List customers.', inputSchema: { type: 'object', properties: {} } },
];
const send = (msg) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...msg })}\n`);

createInterface({ input: process.stdin }).on('line', (line) => {
  let req;
  try {
    req = JSON.parse(line);
  } catch {
    return;
  }
  if (req.id === undefined) return; // a notification
  switch (req.method) {
    case 'initialize':
      return send({ id: req.id, result: { protocolVersion: req.params?.protocolVersion ?? '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'stripe', version: '0.0.1' } } });
    case 'tools/list':
      return send({ id: req.id, result: { tools } });
    case 'tools/call':
      appendFileSync(log, `${JSON.stringify({ tool: req.params.name, arguments: req.params.arguments })}\n`);
      return send({ id: req.id, result: { content: [{ type: 'text', text: `${req.params.name} done` }] } });
    default:
      return send({ id: req.id, error: { code: -32601, message: `method not found: ${req.method}` } });
  }
});
