import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** PEM texts of throwaway certificates for 127.0.0.1 / localhost. */
export interface TestCertificates {
  /** The test CA's certificate: what a client passes as `tls: { ca }`. */
  ca: string
  /** A server certificate signed by the CA (SAN IP:127.0.0.1, DNS:localhost) and its key. */
  cert: string
  key: string
  /** Another CA, which did not sign the server certificate. */
  otherCa: string
  /** A self-signed server certificate (same SANs) with no CA behind it, and its key. */
  selfSignedCert: string
  selfSignedKey: string
}

const OPENSSL = existsSync('/usr/bin/openssl') ? '/usr/bin/openssl' : 'openssl'
const SAN = 'subjectAltName=IP:127.0.0.1,DNS:localhost'

/** Generates a CA, a server certificate it signs, an unrelated CA and a self-signed certificate with openssl. */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'wamp-tls-'))
  const path = (name: string) => join(dir, name)
  const openssl = (...args: string[]) => execFileSync(OPENSSL, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  const makeCa = (name: string) =>
    openssl(
      'req',
      '-x509',
      ...ecKey,
      '-keyout',
      path(`${name}.key`),
      '-out',
      path(`${name}.crt`),
      '-days',
      '2',
      '-subj',
      `/CN=react-wamp ${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    )
  try {
    makeCa('test-ca')
    makeCa('other-ca')
    openssl('req', ...ecKey, '-keyout', path('server.key'), '-out', path('server.csr'), '-subj', '/CN=127.0.0.1')
    writeFileSync(
      path('server.ext'),
      `${SAN}\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n`,
    )
    openssl(
      'x509',
      '-req',
      '-in',
      path('server.csr'),
      '-CA',
      path('test-ca.crt'),
      '-CAkey',
      path('test-ca.key'),
      '-CAcreateserial',
      '-out',
      path('server.crt'),
      '-days',
      '2',
      '-extfile',
      path('server.ext'),
    )
    openssl(
      'req',
      '-x509',
      ...ecKey,
      '-keyout',
      path('self.key'),
      '-out',
      path('self.crt'),
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      SAN,
    )
    const read = (name: string) => readFileSync(path(name), 'utf8')
    return {
      ca: read('test-ca.crt'),
      cert: read('server.crt'),
      key: read('server.key'),
      otherCa: read('other-ca.crt'),
      selfSignedCert: read('self.crt'),
      selfSignedKey: read('self.key'),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
