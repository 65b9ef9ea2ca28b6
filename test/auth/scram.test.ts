import { pbkdf2Sync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AuthMethod } from '../../src/auth/index.js'
import { scram } from '../../src/auth/index.js'
import { scramProof } from '../../src/auth/scram.js'

/**
 * Vectors computed with the Crossbar.io virtual environment's Python: the argon2id one with
 * autobahn.wamp.auth.AuthScram (Crossbar's own client), the pbkdf2 one with hashlib by the
 * AuthMessage Crossbar's crossbar/router/auth/scram.py builds (Autobahn cannot do pbkdf2).
 * Salts and costs are those of test/routers/crossbar/config.json.
 */
const CLIENT_NONCE = 'AAECAwQFBgcICQoLDA0ODxAR' // bytes 0..17
const SERVER_NONCE = 'AAECAwQFBgcICQoLDA0ODxARZGVmZ2hpamtsbW5vcHFycw==' // bytes 0..17 + 100..115
const ARGON = {
  authid: 'scramuser',
  extra: { nonce: SERVER_NONCE, kdf: 'argon2id-13', salt: 'sMX7tJ6AMDEzDzHjH7/Wjg==', iterations: 4, memory: 1024 },
  proof: 'MiKAuTLP3iyObKgE0h0iy+TCiHk0qVmDERn5MSn8JY0=',
  serverSignature: '2n0I3Malp2oQDTs0LVT4B1kbXpQVcYvRlyc/Mx9I8vk=',
}
const PBKDF2 = {
  authid: 'scrampbkdf2',
  extra: { nonce: SERVER_NONCE, kdf: 'pbkdf2', salt: 'ihlZX2P6A8LwwCXyoXbCDA==', iterations: 4096, memory: 0 },
  proof: 'gAZPu+OyWgAsqv3HS6ek8VrnR1ADP6FMgOeOW/Qoe+0=',
  serverSignature: 'ExKZX9i6Oe5In0Xkp5zry7jnWgEqjNi6m1eJ3SJXcdI=',
}
const PASSWORD = 'scram-secret'

/** A scram() method whose next HELLO nonce is CLIENT_NONCE. */
function withKnownNonce(authid: string, password = PASSWORD): { method: AuthMethod; authextra: unknown } {
  const method = scram(password, { authid })
  const fill = ((array: Uint8Array) => {
    for (let i = 0; i < array.length; i++) array[i] = i
    return array
  }) as typeof globalThis.crypto.getRandomValues
  const spy = vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation(fill)
  const authextra = method.authextra
  spy.mockRestore()
  return { method, authextra }
}

describe('scram()', () => {
  afterEach(() => vi.restoreAllMocks())

  it('sends a fresh base64 nonce and channel_binding null in HELLO.authextra for every join', () => {
    const method = scram(PASSWORD, { authid: 'scramuser' })
    expect(method.method).toBe('scram')
    expect(method.authid).toBe('scramuser')
    const first = method.authextra as { nonce: string; channel_binding: null }
    const second = method.authextra as { nonce: string }
    expect(first.channel_binding).toBeNull()
    expect(first.nonce).toMatch(/^[A-Za-z0-9+/]{24}$/)
    expect(second.nonce).not.toBe(first.nonce)
    expect(withKnownNonce('scramuser').authextra).toEqual({ nonce: CLIENT_NONCE, channel_binding: null })
  })

  it('argon2id-13: ClientProof and ServerSignature as Autobahn computes them', async () => {
    const { method } = withKnownNonce(ARGON.authid)
    const response = await method.respond({ method: 'scram', extra: ARGON.extra })
    expect(response.signature).toBe(ARGON.proof)
    expect(response.extra).toEqual({ nonce: SERVER_NONCE, channel_binding: null, cbind_data: null })
    await method.verifyWelcome!({ authmethod: 'scram', authextra: { scram_server_signature: ARGON.serverSignature } })
  })

  it("argon2id13 (the spec's name for the KDF) is the same function", async () => {
    const { method } = withKnownNonce(ARGON.authid)
    const response = await method.respond({ method: 'scram', extra: { ...ARGON.extra, kdf: 'argon2id13' } })
    expect(response.signature).toBe(ARGON.proof)
  })

  it('pbkdf2: ClientProof and ServerSignature by the AuthMessage Crossbar.io builds', async () => {
    const { method } = withKnownNonce(PBKDF2.authid)
    const response = await method.respond({ method: 'scram', extra: PBKDF2.extra })
    expect(response.signature).toBe(PBKDF2.proof)
    // the spec's WELCOME.authextra.verifier ("v=" + base64) is accepted too
    await method.verifyWelcome!({ authextra: { verifier: `v=${PBKDF2.serverSignature}` } })
  })

  it('the SCRAM core reproduces the RFC 7677 SCRAM-SHA-256 test vector', async () => {
    const salted = pbkdf2Sync('pencil', Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'), 4096, 32, 'sha256')
    const nonce = 'rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0'
    const authMessage = `n=user,r=rOprNGfwEbeRWgbNEkqO,r=${nonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=${nonce}`
    const { clientProof, serverSignature } = await scramProof(
      new Uint8Array(salted),
      new TextEncoder().encode(authMessage),
    )
    expect(Buffer.from(clientProof).toString('base64')).toBe('dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=')
    expect(Buffer.from(serverSignature).toString('base64')).toBe('6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=')
  })

  it('refuses a WELCOME whose server signature is wrong or missing (an impostor router)', async () => {
    const { method } = withKnownNonce(PBKDF2.authid)
    await method.respond({ method: 'scram', extra: PBKDF2.extra })
    const wrong = Buffer.alloc(32, 7).toString('base64')
    await expect(async () => method.verifyWelcome!({ authextra: { scram_server_signature: wrong } })).rejects.toThrow(
      'does not know the credentials',
    )
    await expect(async () => method.verifyWelcome!({ authextra: {} })).rejects.toThrow('no SCRAM server signature')
    await expect(async () => method.verifyWelcome!({})).rejects.toThrow('no SCRAM server signature')
    // a signature is good for one handshake only
    await method.verifyWelcome!({ authextra: { scram_server_signature: PBKDF2.serverSignature } })
    await expect(async () =>
      method.verifyWelcome!({ authextra: { scram_server_signature: PBKDF2.serverSignature } }),
    ).rejects.toThrow('does not know the credentials')
  })

  it('refuses a CHALLENGE whose nonce does not begin with the client nonce', async () => {
    const { method } = withKnownNonce(PBKDF2.authid)
    const other = Buffer.alloc(34, 1).toString('base64')
    for (const nonce of [other, CLIENT_NONCE, undefined, 12]) {
      await expect(method.respond({ method: 'scram', extra: { ...PBKDF2.extra, nonce } })).rejects.toThrow(
        'does not begin with our client nonce',
      )
    }
    // a nonce is answered once only
    await method.respond({ method: 'scram', extra: PBKDF2.extra })
    await expect(method.respond({ method: 'scram', extra: PBKDF2.extra })).rejects.toThrow('client nonce')
  })

  it('refuses unknown KDFs, unusable salts and suspicious costs, and never quotes the password', async () => {
    const cases: [Record<string, unknown>, string | RegExp][] = [
      [{ kdf: 'scrypt' }, 'supported: argon2id-13, pbkdf2'],
      [{ salt: 'not base64!' }, 'salt is not base64'],
      [{ salt: '' }, 'salt is not base64'],
      [{ iterations: 0 }, 'not a positive integer'],
      [{ iterations: '4096' }, 'not a positive integer'],
      [{ iterations: 1 }, /1 PBKDF2 iterations; accepted: 4096/],
      [{ iterations: 100_000_000 }, /PBKDF2 iterations/],
      [{ kdf: 'argon2id-13', iterations: 4, memory: 8 }, /8 KiB of memory; accepted: 512/],
      [{ kdf: 'argon2id-13', iterations: 4, memory: 4 * 1024 * 1024 }, /KiB of memory/],
      [{ kdf: 'argon2id-13', iterations: 4, memory: undefined }, /undefined KiB/],
      [{ kdf: 'argon2id-13', iterations: 1e6, memory: 1024 }, /argon2id iterations/],
      [{ channel_binding: 'tls-unique' }, 'channel binding'],
    ]
    for (const [change, message] of cases) {
      const { method } = withKnownNonce(PBKDF2.authid, 'hunter2-secret')
      const response = method.respond({ method: 'scram', extra: { ...PBKDF2.extra, ...change } })
      const error = (await Promise.resolve(response).catch((e: unknown) => e)) as Error
      expect(error.message).toMatch(message)
      expect(error.message).not.toContain('hunter2')
    }
  })

  it('needs an authid, and refuses passwords SASLprep prohibits without quoting them', () => {
    expect(() => scram(PASSWORD, undefined as unknown as { authid: string })).toThrow('options.authid')
    expect(() => scram(PASSWORD, { authid: '' })).toThrow('options.authid')
    expect(() => scram('bad\u0007bell', { authid: 'u' })).toThrow(/^the password contains a character that SASLprep/)
    expect(() => scram('x', { authid: 'bad\u0000' })).toThrow(/^the authid contains/)
  })

  it('loads @noble/hashes (argon2id) only when a router asks for argon2id', () => {
    const source = readFileSync(new URL('../../src/auth/scram.ts', import.meta.url), 'utf8')
    expect(source).not.toMatch(/^import .*@noble/m)
    expect(source).toContain("await import('@noble/hashes/argon2.js')")
  })
})
