import { createHmac, pbkdf2Sync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { wampcra } from '../../src/auth/index.js'
import { CREDENTIALS } from '../routers/types.js'

// The challenge string and results of nexus wamp/crsign/crsign_test.go.
const NEXUS_CHALLENGE =
  '{ "nonce":"LHRTC9zeOIrt_9U3", "authprovider":"userdb", "authid":"peter", ' +
  '"timestamp":"2014-06-22T16:36:25.448Z", "authrole":"user", "authmethod":"wampcra", ' +
  '"session":3251278072152162 }'

const respond = async (secret: string, extra: Record<string, unknown>) =>
  wampcra(secret).respond({ method: 'wampcra', extra })

describe('wampcra()', () => {
  it('signs with HMAC-SHA256 of the secret (nexus TestCRSign vector)', async () => {
    const method = wampcra('secret', { authid: 'peter' })
    expect(method.method).toBe('wampcra')
    expect(method.authid).toBe('peter')
    expect(await method.respond({ method: 'wampcra', extra: { challenge: NEXUS_CHALLENGE } })).toEqual({
      signature: 'NWktSrMd4ItBSAKYEwvu1bTY7G/sSyjKbz+pNP9c04A=',
    })
  })

  it('signs with the base64 text of the PBKDF2 key when salted (nexus TestRespondChallenge vector)', async () => {
    const extra = { challenge: NEXUS_CHALLENGE, salt: 'salt123', iterations: 1000, keylen: 32 }
    expect((await respond('password', extra)).signature).toBe('hk/2riA2JqydfL5wLoicrYfAt8uNeP6nikk9kqDhsnM=')
    // iterations and keylen default to 1000 and 32
    expect((await respond('password', { challenge: NEXUS_CHALLENGE, salt: 'salt123' })).signature).toBe(
      'hk/2riA2JqydfL5wLoicrYfAt8uNeP6nikk9kqDhsnM=',
    )
  })

  it("matches Autobahn's derive_key for the test routers' salted user", async () => {
    const { secret, salt, iterations, keylen } = CREDENTIALS.wampcraSalted
    // autobahn.wamp.auth.derive_key("salt-secret", "salt123", 1000, 32), see test/routers/crossbar/launch.ts
    const derived = '+h+8Revgh+zLT2QGX1cnk1ZESIc26ghqcbh7VAchyHc='
    expect(pbkdf2Sync(secret, salt, iterations, keylen, 'sha256').toString('base64')).toBe(derived)
    const challenge = '{"authid":"saltuser","nonce":"abc"}'
    const expected = createHmac('sha256', derived).update(challenge).digest('base64')
    expect((await respond(secret, { challenge, salt, iterations, keylen })).signature).toBe(expected)
  })

  it('derives other key lengths and iteration counts like PBKDF2 does', async () => {
    const challenge = 'c'
    const derived = pbkdf2Sync('pw', 'NaCl', 7, 20, 'sha256').toString('base64')
    const expected = createHmac('sha256', derived).update(challenge).digest('base64')
    expect((await respond('pw', { challenge, salt: 'NaCl', iterations: 7, keylen: 20 })).signature).toBe(expected)
  })

  it('handles non-ASCII secrets and challenges as UTF-8', async () => {
    const expected = createHmac('sha256', 'pässwörd').update('chällenge ✓').digest('base64')
    expect((await respond('pässwörd', { challenge: 'chällenge ✓' })).signature).toBe(expected)
  })

  it('refuses malformed challenges without quoting the secret', async () => {
    const secret = 'do-not-leak-me'
    for (const extra of [
      {},
      { challenge: 5 },
      { challenge: 'c', salt: 'x', iterations: -1 },
      { challenge: 'c', salt: 'x', keylen: 1.5 },
    ]) {
      const error = (await respond(secret, extra).catch((e: unknown) => e)) as Error
      expect(error).toBeInstanceOf(Error)
      expect(error.message).not.toContain(secret)
    }
    expect(() => wampcra(undefined as unknown as string)).toThrow(TypeError)
    expect(() => wampcra('')).toThrow('non-empty')
  })
})
