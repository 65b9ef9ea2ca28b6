import type { AuthMethod, Challenge } from './auth-method.js'
import { hmacSha256, pbkdf2Key, pbkdf2Sha256, positiveInteger, subtle, toBase64, utf8 } from './crypto.js'

export interface WampcraOptions {
  /** HELLO.authid: the user whose secret this is. */
  authid?: string
}

/** The PBKDF2 defaults of the spec, nexus and Autobahn when CHALLENGE.extra omits them. */
const DEFAULT_ITERATIONS = 1000
const DEFAULT_KEYLEN = 32

/**
 * WAMP-CRA: signature = base64(HMAC-SHA256(key, challenge)). The key is the secret, or, when the
 * router sends `salt` (salted WAMP-CRA), the base64 *text* of PBKDF2-SHA256(secret, salt, iterations,
 * keylen) — the derived key's base64 string is the HMAC key, as in Autobahn's `derive_key` and nexus.
 *
 * The secret is kept only as two non-extractable WebCrypto keys (HMAC and PBKDF2), never as text.
 */
export function wampcra(secret: string, options: WampcraOptions = {}): AuthMethod {
  if (typeof secret !== 'string' || secret === '') throw new TypeError('wampcra() needs the secret, a non-empty string')
  subtle() // fail now, with the requirement named, on a platform without WebCrypto
  const bytes = utf8(secret)
  const keys = Promise.all([
    subtle().importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']),
    pbkdf2Key(bytes),
  ]).finally(() => bytes.fill(0))
  keys.catch(() => {}) // reported by respond(); never an unhandled rejection

  return {
    method: 'wampcra',
    authid: options.authid,
    async respond({ extra }: Challenge) {
      const challenge = extra.challenge
      if (typeof challenge !== 'string') throw new Error('the wampcra CHALLENGE carries no challenge string')
      const [hmacKey, baseKey] = await keys
      const salt = extra.salt
      if (salt === undefined || salt === null || salt === '') {
        const signature = await subtle().sign('HMAC', hmacKey, utf8(challenge))
        return { signature: toBase64(new Uint8Array(signature)) }
      }
      const saltBytes =
        typeof salt === 'string' ? utf8(salt) : salt instanceof Uint8Array ? new Uint8Array(salt) : undefined
      const iterations = positiveInteger(extra.iterations, DEFAULT_ITERATIONS)
      const keylen = positiveInteger(extra.keylen, DEFAULT_KEYLEN)
      if (saltBytes === undefined || iterations === undefined || keylen === undefined) {
        throw new Error('the wampcra CHALLENGE has an invalid salt, iterations or keylen')
      }
      const derived = await pbkdf2Sha256(baseKey, saltBytes, iterations, keylen)
      const key = utf8(toBase64(derived))
      derived.fill(0)
      try {
        return { signature: toBase64(await hmacSha256(key, utf8(challenge))) }
      } finally {
        key.fill(0)
      }
    },
  }
}
