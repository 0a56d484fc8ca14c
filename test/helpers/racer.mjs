// A process that races others: it loads the library, says "ready", waits for "go" on
// stdin (sent to every racer at once), then does one thing and prints the outcome.
//   node racer.mjs <lib> verify <id> <code>
//   node racer.mjs <lib> consume <op-json>
//   node racer.mjs <lib> request <op-json>
const [lib, mode, a, b] = process.argv.slice(2);
const { createGuard } = await import(lib);
const guard = await createGuard();
guard.getKeys();
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
let outcome;
if (mode === 'verify') outcome = (await guard.verify(b, a)).status;
else if (mode === 'consume') outcome = String(guard.consume(JSON.parse(a)));
else if (mode === 'request') outcome = (await guard.request(JSON.parse(a))).status;
process.stdout.write(`${outcome}\n`);
process.exit(0);
