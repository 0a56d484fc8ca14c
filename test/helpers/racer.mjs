// A process that races others: it loads the library, says "ready", waits for "go" on
// stdin (sent to every racer at once), then does one thing and prints the outcome.
//   node racer.mjs <lib> verify <id> <code>
//   node racer.mjs <lib> consume <op-json>
//   node racer.mjs <lib> request <op-json>
//   node racer.mjs <lib> audit-rounds    (appends one audit line per "go", prints its seq; leaves on "end")
const [lib, mode, a, b] = process.argv.slice(2);
const { createGuard } = await import(lib);
const guard = await createGuard();
guard.getKeys();
process.stdout.write('ready\n');
if (mode === 'audit-rounds') {
  const actor = { via: 'racer', user: 'racer', host: 'racer', pid: process.pid };
  let buf = '';
  process.stdin.on('data', (d) => {
    buf += d.toString();
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const cmd = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (cmd === 'end') process.exit(0);
      process.stdout.write(`${guard.audit.append('blocked', actor, { detail: 'racing' }).seq}\n`);
    }
  });
} else {
  await new Promise((resolve) => process.stdin.once('data', resolve));
  let outcome;
  if (mode === 'verify') outcome = (await guard.verify(b, a)).status;
  else if (mode === 'consume') outcome = String(guard.consume(JSON.parse(a)));
  else if (mode === 'request') outcome = (await guard.request(JSON.parse(a))).status;
  process.stdout.write(`${outcome}\n`);
  process.exit(0);
}
