import { afterEach, describe, expect, it, vi } from 'vitest'
import { cryptosign } from '../../src/auth/index.js'
import { CREDENTIALS } from '../routers/types.js'

const { seed, pubkey } = CREDENTIALS.cryptosign
const challenge = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0')).join('')
// PyNaCl: SigningKey(seed).sign(bytes(range(32))).hex() — signature (64 bytes) followed by the message
const SIGNED =
  '5a3d1933578397d419b221789afc66dd7760695496e6faa5efd1012ddb54cfff' +
  '3f80930d24f61cbd88ac92eb1fddfbbb31374b33cfb5b77d853701a9961fc903' +
  challenge

describe('cryptosign()', () => {
  afterEach(() => vi.restoreAllMocks())

  it('announces the public key derived from the seed in authextra', async () => {
    const method = cryptosign(seed, { authid: 'cryptouser' })
    expect(method.method).toBe('cryptosign')
    expect(method.authid).toBe('cryptouser')
    expect(await method.authextra).toEqual({ pubkey })
  })

  it('answers with hex(Ed25519 signature) + hex(challenge), 96 bytes (PyNaCl vector)', async () => {
    const method = cryptosign(seed)
    const response = await method.respond({ method: 'cryptosign', extra: { challenge, channel_binding: null } })
    expect(response.signature).toHaveLength(192)
    expect(response.signature).toBe(SIGNED)
  })

  it('takes the seed as bytes too, and upper-case hex; leaves the caller’s bytes alone', async () => {
    const bytes = Uint8Array.from(Buffer.from(seed, 'hex'))
    expect(await cryptosign(bytes).authextra).toEqual({ pubkey })
    expect(Buffer.from(bytes).toString('hex')).toBe(seed)
    expect(await cryptosign(seed.toUpperCase()).authextra).toEqual({ pubkey })
  })

  it('refuses a malformed seed at once, without quoting it', () => {
    for (const bad of [seed.slice(2), `${seed}00`, `zz${seed.slice(2)}`, new Uint8Array(31), 42]) {
      let error: Error | undefined
      try {
        cryptosign(bad as string)
      } catch (e) {
        error = e as Error
      }
      expect(error).toBeInstanceOf(TypeError)
      expect(error!.message).toContain('32-byte Ed25519 private key seed')
      expect(error!.message).not.toContain(seed.slice(2, 20))
    }
  })

  it('refuses challenges that are not 32 bytes of hex, and channel binding', async () => {
    const method = cryptosign(seed)
    for (const extra of [
      {},
      { challenge: 'xyz' },
      { challenge: challenge.slice(2) },
      { challenge: `${challenge}00` },
    ]) {
      await expect(method.respond({ method: 'cryptosign', extra })).rejects.toThrow('32-byte challenge')
    }
    await expect(
      method.respond({ method: 'cryptosign', extra: { challenge, channel_binding: 'tls-unique' } }),
    ).rejects.toThrow('channel binding')
  })

  it('names the requirement when the platform has no Ed25519 in WebCrypto', async () => {
    vi.spyOn(globalThis.crypto.subtle, 'importKey').mockRejectedValue(
      new DOMException('Unrecognized algorithm name', 'NotSupportedError'),
    )
    const method = cryptosign(seed)
    await expect(method.authextra).rejects.toThrow(/cryptosign needs Ed25519 in WebCrypto/)
    await expect(method.respond({ method: 'cryptosign', extra: { challenge } })).rejects.toThrow(/Ed25519/)
  })

  it('leaves no unhandled rejection behind when an unusable method is never used', async () => {
    vi.spyOn(globalThis.crypto.subtle, 'importKey').mockRejectedValue(new DOMException('nope', 'NotSupportedError'))
    cryptosign(seed)
    await new Promise((resolve) => setTimeout(resolve, 20)) // vitest fails the run on an unhandled rejection
  })

  it('names the requirement when the platform has no WebCrypto at all', () => {
    vi.spyOn(globalThis, 'crypto', 'get').mockReturnValue(undefined as unknown as Crypto)
    expect(() => cryptosign(seed)).toThrow(/WebCrypto \(globalThis\.crypto\.subtle\)/)
  })
})
