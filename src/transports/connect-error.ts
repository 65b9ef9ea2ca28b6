/** Node's codes for a peer certificate that failed verification (OpenSSL's X509_V_ERR_* names, plus altnames). */
const CERTIFICATE_PROBLEM = /CERT|UNABLE_TO_|SELF_SIGNED|HOSTNAME_MISMATCH|INVALID_CA|ALTNAME|PATH_LENGTH/

/** The error code Node attaches to socket and TLS errors (`ECONNREFUSED`, `SELF_SIGNED_CERT_IN_CHAIN`, …). */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code
  return typeof code === 'string' ? code : undefined
}

/** True when `error` says the router's TLS certificate was not accepted. */
export function isCertificateError(error: unknown): boolean {
  const code = errorCode(error)
  return code !== undefined && CERTIFICATE_PROBLEM.test(code)
}

/**
 * Why connecting failed, in words: a refused TLS certificate says so, names Node's code
 * (e.g. `UNABLE_TO_VERIFY_LEAF_SIGNATURE`) and how to trust the router's CA.
 */
export function describeConnectError(error: unknown, fallback = 'connection failed'): string {
  const message = error instanceof Error ? error.message : fallback
  if (!isCertificateError(error)) return message
  return (
    `the router's TLS certificate was refused: ${message} (${errorCode(error)}); ` +
    'pass the CA that issued it as `tls: { ca }` (Node)'
  )
}
