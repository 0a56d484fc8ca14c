// A headless backend that wants to do something risky: it asks for approval through the
// library, waits for the human, and acts only if it can consume the grant.
//   node backend.mjs <lib> <op-json> <timeoutMs>
const [lib, opJson, timeoutMs] = process.argv.slice(2);
const { createGuard } = await import(lib);
const guard = await createGuard({ actor: 'test-backend' });
const op = JSON.parse(opJson);
const req = await guard.request(op);
process.stdout.write(`${JSON.stringify({ phase: 'requested', status: req.status, id: req.clearance?.id })}\n`);
const wait = await guard.waitForGrant(op, { timeoutMs: Number(timeoutMs), pollMs: 100 });
const used = wait.status === 'granted' ? guard.consume(op) : false;
const again = guard.consume(op);
process.stdout.write(`${JSON.stringify({ phase: 'done', wait: wait.status, used, again })}\n`);
