import type { Dict } from '../protocol/messages.js'
import type { AuthMethod, Challenge } from './auth-method.js'
import { fromHex, subtle, toHex } from './crypto.js'

export interface CryptosignOptions {
  /** HELLO.authid. nexus requires it; Crossbar.io can find the user from the public key. */
  authid?: string
}

/** DER header of a PKCS#8 Ed25519 private key (RFC 8410): the 32-byte seed follows it. */
const PKCS8_ED25519_PREFIX = fromHex('302e020100300506032b657004220420')!
const REQUIREMENT =
  'cryptosign needs Ed25519 in WebCrypto (crypto.subtle): Node.js 20 or later, Chrome 137, Firefox 129, Safari 17 or later'

/**
 * WAMP-Cryptosign: Ed25519 signatures with a private key the router never sees. HELLO announces
 * `authextra.pubkey` (hex); the answer to a CHALLENGE is hex(signature) + hex(challenge), 96 bytes,
 * as nexus and Crossbar.io expect. No TLS channel binding.
 *
 * @param privateKeySeed the 32-byte Ed25519 seed, as 64 hex characters or bytes.
 */
export function cryptosign(privateKeySeed: string | Uint8Array, options: CryptosignOptions = {}): AuthMethod {
  const seed = typeof privateKeySeed === 'string' ? fromHex(privateKeySeed) : privateKeySeed
  if (!(seed instanceof Uint8Array) || seed.length !== 32) {
    throw new TypeError('cryptosign() needs a 32-byte Ed25519 private key seed, as 64 hex characters or a Uint8Array')
  }
  subtle() // fail now, with the requirement named, on a platform without WebCrypto
  const pkcs8 = new Uint8Array(PKCS8_ED25519_PREFIX.length + 32)
  pkcs8.set(PKCS8_ED25519_PREFIX)
  pkcs8.set(seed, PKCS8_ED25519_PREFIX.length)
  if (typeof privateKeySeed === 'string') seed.fill(0) // our copy; the caller's bytes stay theirs
  const keys = importKeys(pkcs8)
  const authextra = keys.then(({ pubkey }): Dict => ({ pubkey }))
  // A failure surfaces when the client awaits authextra; never as an unhandled rejection.
  authextra.catch(() => {})

  return {
    method: 'cryptosign',
    authid: options.authid,
    authextra,
    async respond({ extra }: Challenge) {
      const challenge = typeof extra.challenge === 'string' ? fromHex(extra.challenge) : undefined
      if (challenge === undefined || challenge.length !== 32) {
        throw new Error('the cryptosign CHALLENGE must carry a 32-byte challenge in hex')
      }
      if (extra.channel_binding !== undefined && extra.channel_binding !== null) {
        throw new Error(
          `the router asks for channel binding ${JSON.stringify(extra.channel_binding)}, which is not supported`,
        )
      }
      const { privateKey } = await keys
      const signature = new Uint8Array(await subtle().sign('Ed25519', privateKey, challenge))
      return { signature: toHex(signature) + toHex(challenge) }
    },
  }
}

/** The signing key (non-extractable) and the hex public key; the DER buffer is wiped afterwards. */
async function importKeys(pkcs8: Uint8Array<ArrayBuffer>): Promise<{ privateKey: CryptoKey; pubkey: string }> {
  try {
    // WebCrypto cannot derive a public key, so import once extractable to read the JWK's `x`,
    // and keep only a second, non-extractable import for signing.
    const extractable = await subtle().importKey('pkcs8', pkcs8, { name: 'Ed25519' }, true, ['sign'])
    const { x } = await subtle().exportKey('jwk', extractable)
    const privateKey = await subtle().importKey('pkcs8', pkcs8, { name: 'Ed25519' }, false, ['sign'])
    if (typeof x !== 'string') throw new Error('no public key in the exported JWK')
    return { privateKey, pubkey: toHex(fromBase64Url(x)) }
  } catch (error) {
    // Practically always NotSupportedError: a valid 32-byte seed is a valid Ed25519 key.
    throw new Error(`${REQUIREMENT} (${(error as Error).name}: ${(error as Error).message})`, { cause: error })
  } finally {
    pkcs8.fill(0)
  }
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  return Uint8Array.from(binary, (c) => c.charCodeAt(0))
}
