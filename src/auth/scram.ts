import type { Dict } from '../protocol/messages.js'
import type { AuthMethod, Challenge } from './auth-method.js'
import {
  equalBytes,
  fromBase64,
  hmacSha256,
  pbkdf2Key,
  pbkdf2Sha256,
  positiveInteger,
  randomBytes,
  sha256,
  subtle,
  toBase64,
  utf8,
} from './crypto.js'
import { saslprep } from './saslprep.js'

export interface ScramOptions {
  /**
   * HELLO.authid, required: it is part of the signed AuthMessage. Set the same value (or none)
   * as `ClientConfig.authid`.
   */
  authid: string
}

/**
 * Cost limits: a rogue router could ask for a cheap hash (easy to crack offline) or for an
 * expensive one (a denial of service on the client). The floors are RFC 7677's 4096 PBKDF2
 * iterations and the 512 KiB of Autobahn's `derive_scram_credential`.
 */
const PBKDF2_ITERATIONS = { min: 4096, max: 10_000_000 }
const ARGON2_MEMORY_KIB = { min: 512, max: 1024 * 1024 }
const ARGON2_ITERATIONS = { max: 100_000 }
/** 18 random bytes: base64 without padding, so the router's nonce starts with ours as text too. */
const NONCE_BYTES = 18
/** Handshakes in flight at once (one method object shared by several connections). */
const MAX_PENDING = 16

/**
 * WAMP-SCRAM as Crossbar.io implements it (method `scram`; the spec's draft calls it `wamp-scram`).
 *
 * - HELLO.authextra: `{ nonce, channel_binding: null }`, a fresh 18-byte nonce per join.
 * - CHALLENGE.extra: `nonce` (must begin with ours), `salt` (base64), `kdf` (`argon2id-13` as Crossbar
 *   sends it, or the spec's `argon2id13`, or `pbkdf2`), `iterations`, `memory` (KiB, argon2id only).
 * - SaltedPassword: argon2id v1.3 with parallelism 1 and a 32-byte output, used as the *unpadded
 *   base64 text* of the hash (what Autobahn's AuthScram and its credential tooling do, unlike the spec's
 *   raw bytes); or PBKDF2-HMAC-SHA256(password, salt, iterations, 32), raw.
 * - AuthMessage: `n=<authid>,r=<client nonce>,r=<nonce>,s=<salt>,i=<iterations>,c=,r=<nonce>`: Crossbar
 *   leaves `c=` empty (the spec has `c=biws`) and does not escape `,` and `=` in the authid.
 * - WELCOME.authextra.scram_server_signature (or the spec's `verifier`) is checked: a router that does
 *   not know the stored keys cannot produce it, and is refused.
 *
 * argon2id comes from @noble/hashes, loaded only when a router asks for it.
 */
export function scram(password: string, options: ScramOptions): AuthMethod {
  if (typeof password !== 'string') throw new TypeError('scram() needs the password as a string')
  if (typeof options?.authid !== 'string' || options.authid === '') {
    throw new TypeError('scram() needs options.authid: the user name is part of what SCRAM signs')
  }
  subtle() // fail now, with the requirement named, on a platform without WebCrypto
  const authid = saslprep(options.authid, 'authid')
  const secret = utf8(saslprep(password, 'password'))
  // Client nonces sent in HELLO and not yet answered, then the ServerSignatures expected in WELCOME.
  // Nothing secret is kept per handshake: the expected signature is what the router sends in clear.
  const nonces: string[] = []
  const expected: string[] = []
  const remember = (list: string[], value: string) => {
    list.push(value)
    if (list.length > MAX_PENDING) list.shift()
  }

  return {
    method: 'scram',
    authid: options.authid,
    get authextra(): Dict {
      const nonce = toBase64(randomBytes(NONCE_BYTES))
      remember(nonces, nonce)
      return { nonce, channel_binding: null }
    },
    async respond({ extra }: Challenge) {
      const serverNonce = extra.nonce
      const clientNonce =
        typeof serverNonce === 'string'
          ? nonces.find((n) => serverNonce.length > n.length && serverNonce.startsWith(n))
          : undefined
      if (clientNonce === undefined) throw new Error('the SCRAM CHALLENGE nonce does not begin with our client nonce')
      nonces.splice(nonces.indexOf(clientNonce), 1)
      if (extra.channel_binding !== undefined && extra.channel_binding !== null && extra.channel_binding !== '') {
        throw new Error('the router asks for SCRAM channel binding, which is not supported')
      }
      const salt = typeof extra.salt === 'string' ? extra.salt : undefined
      const saltBytes = salt === undefined ? undefined : fromBase64(salt)
      if (salt === undefined || saltBytes === undefined || saltBytes.length === 0) {
        throw new Error('the SCRAM CHALLENGE salt is not base64')
      }
      const iterations = positiveInteger(extra.iterations)
      if (iterations === undefined) throw new Error('the SCRAM CHALLENGE iterations are not a positive integer')

      const saltedPassword = await deriveSaltedPassword(secret, saltBytes, String(extra.kdf), iterations, extra.memory)
      const authMessage = utf8(
        `n=${authid},r=${clientNonce},r=${serverNonce},s=${salt},i=${iterations},c=,r=${serverNonce}`,
      )
      const { clientProof, serverSignature } = await scramProof(saltedPassword, authMessage)
      saltedPassword.fill(0)
      remember(expected, toBase64(serverSignature))
      return {
        signature: toBase64(clientProof),
        extra: { nonce: serverNonce, channel_binding: null, cbind_data: null },
      }
    },
    verifyWelcome(details: Dict) {
      const authextra = (details.authextra ?? {}) as Dict
      const verifier = typeof authextra.verifier === 'string' ? authextra.verifier.replace(/^v=/, '') : undefined
      const claimed = authextra.scram_server_signature ?? verifier
      const claimedBytes = typeof claimed === 'string' ? fromBase64(claimed) : undefined
      if (claimedBytes === undefined) {
        throw new Error(
          'WELCOME carries no SCRAM server signature: the router could not prove it knows the credentials',
        )
      }
      const index = expected.findIndex((sig) => equalBytes(fromBase64(sig)!, claimedBytes))
      if (index < 0) {
        throw new Error('the SCRAM server signature in WELCOME is wrong: the router does not know the credentials')
      }
      expected.splice(index, 1)
    },
  }
}

/** ClientProof and ServerSignature (RFC 5802 §3) from SaltedPassword and the AuthMessage. */
export async function scramProof(
  saltedPassword: Uint8Array<ArrayBuffer>,
  authMessage: Uint8Array<ArrayBuffer>,
): Promise<{ clientProof: Uint8Array; serverSignature: Uint8Array }> {
  const clientKey = await hmacSha256(saltedPassword, utf8('Client Key'))
  const storedKey = await sha256(clientKey)
  const clientSignature = await hmacSha256(storedKey, authMessage)
  const clientProof = clientKey.map((byte, i) => byte ^ clientSignature[i]!)
  const serverKey = await hmacSha256(saltedPassword, utf8('Server Key'))
  const serverSignature = await hmacSha256(serverKey, authMessage)
  clientKey.fill(0)
  storedKey.fill(0)
  serverKey.fill(0)
  return { clientProof, serverSignature }
}

/** SaltedPassword with the router's KDF and cost, inside the limits above. */
async function deriveSaltedPassword(
  password: Uint8Array<ArrayBuffer>,
  salt: Uint8Array<ArrayBuffer>,
  kdf: string,
  iterations: number,
  memory: unknown,
): Promise<Uint8Array<ArrayBuffer>> {
  if (kdf === 'pbkdf2') {
    if (iterations < PBKDF2_ITERATIONS.min || iterations > PBKDF2_ITERATIONS.max) {
      throw new Error(
        `the router asks for ${iterations} PBKDF2 iterations; accepted: ${PBKDF2_ITERATIONS.min} to ${PBKDF2_ITERATIONS.max}`,
      )
    }
    return pbkdf2Sha256(await pbkdf2Key(password), salt, iterations, 32)
  }
  if (kdf === 'argon2id-13' || kdf === 'argon2id13') {
    const memoryKiB = positiveInteger(memory)
    if (memoryKiB === undefined || memoryKiB < ARGON2_MEMORY_KIB.min || memoryKiB > ARGON2_MEMORY_KIB.max) {
      throw new Error(
        `the router asks for argon2id with ${String(memory)} KiB of memory; accepted: ${ARGON2_MEMORY_KIB.min} to ${ARGON2_MEMORY_KIB.max} KiB`,
      )
    }
    if (iterations > ARGON2_ITERATIONS.max) {
      throw new Error(`the router asks for ${iterations} argon2id iterations; accepted: up to ${ARGON2_ITERATIONS.max}`)
    }
    const { argon2idAsync } = await import('@noble/hashes/argon2.js')
    const hash = await argon2idAsync(password, salt, {
      t: iterations,
      m: memoryKiB,
      p: 1,
      dkLen: 32,
      version: 0x13,
      maxmem: (memoryKiB + 64) * 1024,
    })
    const text = utf8(toBase64(hash).replace(/=+$/, ''))
    hash.fill(0)
    return text
  }
  throw new Error(`the router asks for the SCRAM key derivation ${JSON.stringify(kdf)}; supported: argon2id-13, pbkdf2`)
}
