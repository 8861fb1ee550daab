// Throw-away TLS certificates for the test servers, made with the `openssl` command: a CA and
// a server certificate it signs for localhost and 127.0.0.1 (valid two days).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function openssl(args, cwd) {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * Writes ca.pem, cert.pem and key.pem into `dir`. Returns { caPem, certFile, keyFile }: start
 * the server with `--tls-cert certFile --tls-key keyFile`, trust `caPem` in the client.
 */
export function makeTestCerts(dir) {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(
    ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2']
      .concat(['-subj', '/CN=rcim test CA'])
      .concat(['-addext', 'basicConstraints=critical,CA:TRUE'])
      .concat(['-addext', 'keyUsage=critical,keyCertSign,cRLSign']),
    dir
  );
  openssl(['req', ...ec, '-keyout', 'key.pem', '-out', 'server.csr', '-subj', '/CN=localhost'], dir);
  writeFileSync(
    join(dir, 'server.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\n' +
      'basicConstraints=CA:FALSE\n' +
      'keyUsage=critical,digitalSignature\n' +
      'extendedKeyUsage=serverAuth\n'
  );
  openssl(
    ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key']
      .concat(['-CAcreateserial', '-out', 'cert.pem', '-days', '2', '-extfile', 'server.ext']),
    dir
  );
  return {
    caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    certFile: join(dir, 'cert.pem'),
    keyFile: join(dir, 'key.pem'),
  };
}
