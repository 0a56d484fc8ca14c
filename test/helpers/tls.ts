import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway certificate authority and a server certificate for 127.0.0.1, ::1 and
 * localhost (or the names given), made with the openssl CLI. In-process tests trust the CA through the
 * delivery's `ca` option; CLI child processes through NODE_EXTRA_CA_CERTS.
 */
export interface TestPki {
  readonly dir: string;
  readonly caPath: string;
  readonly ca: string;
  readonly key: string;
  readonly cert: string;
  cleanup(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function makePki(name = 'theguard-test', altNames = 'DNS:localhost,IP:127.0.0.1,IP:::1'): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'theguard-pki-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(dir, ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', `/CN=${name} CA`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(dir, ['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  writeFileSync(join(dir, 'ext.cnf'), `subjectAltName=${altNames}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n`);
  openssl(dir, ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'ext.cnf']);
  const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
  return { dir, caPath: join(dir, 'ca.crt'), ca: read('ca.crt'), key: read('server.key'), cert: read('server.crt'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
