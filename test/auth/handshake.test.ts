import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { cryptosign, scram, ticket, wampcra } from '../../src/auth/index.js'
import { createClient } from '../../src/client/connect.js'
import { AuthenticationError, type ClientConfig } from '../../src/client/index.js'
import { CREDENTIALS } from '../routers/types.js'
import { FakeRouter, quietLogger, WELCOME_DETAILS } from '../support/fake-router.js'

type Dict = Record<string, unknown>

/** Joins on a FakeRouter with debug logging into a capturing logger. */
function start(config: Partial<ClientConfig>) {
  const router = new FakeRouter()
  const logger = quietLogger()
  const joining = createClient(router, { realm: 'authrealm', debug: true, logger, ...config })
  joining.catch(() => {})
  /** Everything the client logged, data included, as one text. */
  const logText = () => logger.logged.map((entry) => `${entry.message} ${JSON.stringify(entry.data)}`).join('\n')
  return { router, logger, joining, logText }
}

describe('auth handshakes against a scripted router', () => {
  it('ticket: HELLO announces the method and authid, AUTHENTICATE carries the ticket, the log never shows it', async () => {
    const secret = 'tkt-Very-Secret-0001'
    const { router, joining, logText, logger } = start({ auth: [ticket(secret, { authid: 'ticketuser' })] })
    const hello = (await router.nextSent(1)) as [number, string, Dict]
    expect(hello[2]).toMatchObject({ authmethods: ['ticket'], authid: 'ticketuser' })
    router.deliver(4, 'ticket', {})
    expect(await router.nextSent(5)).toEqual([5, secret, {}])
    router.deliver(2, 77, { ...WELCOME_DETAILS, authid: 'ticketuser', authmethod: 'ticket', authrole: 'user' })
    const client = await joining
    expect(client.realmDetails.authmethod).toBe('ticket')
    expect(logger.logged.some((e) => e.message.includes('AUTHENTICATE'))).toBe(true)
    expect(logger.logged.some((e) => e.message.includes('CHALLENGE'))).toBe(true)
    expect(logText()).not.toContain(secret)
  })

  it('wampcra (salted): the signature is right, and neither the secret nor the signature is logged', async () => {
    const secret = 'cra-Very-Secret-0002'
    const { router, joining, logText } = start({ auth: [wampcra(secret, { authid: 'saltuser' })] })
    await router.nextSent(1)
    const challenge = JSON.stringify({ authid: 'saltuser', nonce: randomBytes(8).toString('hex') })
    router.deliver(4, 'wampcra', { challenge, salt: 'pepper', iterations: 100, keylen: 16 })
    const key = pbkdf2Sync(secret, 'pepper', 100, 16, 'sha256').toString('base64')
    const expected = createHmac('sha256', key).update(challenge).digest('base64')
    expect(await router.nextSent(5)).toEqual([5, expected, {}])
    router.deliver(2, 78, { ...WELCOME_DETAILS, authmethod: 'wampcra' })
    await joining
    expect(logText()).not.toContain(secret)
    expect(logText()).not.toContain(expected)
  })

  it('cryptosign then ticket: HELLO lists both in order, carries the pubkey, and the method the router picks answers', async () => {
    const { router, joining } = start({
      auth: [cryptosign(CREDENTIALS.cryptosign.seed), ticket('t-1', { authid: 'ticketuser' })],
    })
    const hello = (await router.nextSent(1)) as [number, string, Dict]
    expect(hello[2]).toMatchObject({
      authmethods: ['cryptosign', 'ticket'],
      authid: 'ticketuser',
      authextra: { pubkey: CREDENTIALS.cryptosign.pubkey },
    })
    router.deliver(4, 'ticket', {})
    expect(await router.nextSent(5)).toEqual([5, 't-1', {}])
    router.deliver(2, 79, { ...WELCOME_DETAILS, authmethod: 'ticket' })
    await joining
  })

  it('a router ABORT after AUTHENTICATE rejects with AuthenticationError and the router reason', async () => {
    const { router, joining } = start({ auth: [ticket('nope', { authid: 'ticketuser' })] })
    await router.nextSent(1)
    router.deliver(4, 'ticket', {})
    await router.nextSent(5)
    router.deliver(3, { message: 'invalid ticket' }, 'wamp.error.authentication_failed')
    const error = (await joining.catch((e: unknown) => e)) as AuthenticationError
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error.code).toBe('authentication')
    expect(error.reason).toBe('wamp.error.authentication_failed')
  })

  describe('scram (pbkdf2) against a SCRAM server written with node:crypto', () => {
    const password = 'scram-Very-Secret-0003'
    const salt = randomBytes(16)
    const salted = pbkdf2Sync(password, salt, 4096, 32, 'sha256')
    const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest()
    const storedKey = createHash('sha256').update(hmac(salted, 'Client Key')).digest()
    const serverKey = hmac(salted, 'Server Key')

    /** Runs the server side up to the client's AUTHENTICATE; returns whether the proof is right and the server signature. */
    async function serverSide(router: FakeRouter) {
      const hello = (await router.nextSent(1)) as [number, string, Dict]
      const { nonce: clientNonce } = hello[2].authextra as { nonce: string }
      const serverNonce = Buffer.concat([Buffer.from(clientNonce, 'base64'), randomBytes(16)]).toString('base64')
      const s = salt.toString('base64')
      router.deliver(4, 'scram', { nonce: serverNonce, kdf: 'pbkdf2', salt: s, iterations: 4096, memory: 0 })
      const [, proof, extra] = (await router.nextSent(5)) as [number, string, Dict]
      expect(extra.nonce).toBe(serverNonce)
      const authMessage = `n=${hello[2].authid},r=${clientNonce},r=${serverNonce},s=${s},i=4096,c=,r=${serverNonce}`
      const clientSignature = hmac(storedKey, authMessage)
      const clientKey = Buffer.from(proof, 'base64').map((b, i) => b ^ clientSignature[i]!)
      const ok = createHash('sha256').update(clientKey).digest().equals(storedKey)
      return { ok, serverSignature: hmac(serverKey, authMessage).toString('base64') }
    }

    it('joins when the router proves it knows the keys; the password is never logged', async () => {
      const { router, joining, logText } = start({ auth: [scram(password, { authid: 'scrampbkdf2' })] })
      const { ok, serverSignature } = await serverSide(router)
      expect(ok).toBe(true)
      router.deliver(2, 80, {
        ...WELCOME_DETAILS,
        authmethod: 'scram',
        authextra: { scram_server_signature: serverSignature },
      })
      const client = await joining
      expect(client.isOpen).toBe(true)
      expect(logText()).not.toContain(password)
    })

    it('refuses an impostor router whose WELCOME carries a wrong server signature: ABORT, AuthenticationError', async () => {
      const { router, joining } = start({ auth: [scram(password, { authid: 'scrampbkdf2' })] })
      await serverSide(router)
      const forged = randomBytes(32).toString('base64')
      router.deliver(2, 81, { ...WELCOME_DETAILS, authmethod: 'scram', authextra: { scram_server_signature: forged } })
      const error = (await joining.catch((e: unknown) => e)) as AuthenticationError
      expect(error).toBeInstanceOf(AuthenticationError)
      expect(error.message).toContain('does not know the credentials')
      expect(error.message).not.toContain(password)
      const abort = (await router.nextSent(3)) as [number, Dict, string]
      expect(abort[2]).toBe('wamp.error.authentication_failed')
      expect(JSON.stringify(abort)).not.toContain(password)
    })

    it('refuses a CHALLENGE whose nonce is not built on ours: ABORT before any proof is sent', async () => {
      const { router, joining } = start({ auth: [scram(password, { authid: 'scrampbkdf2' })] })
      await router.nextSent(1)
      const nonce = randomBytes(34).toString('base64')
      router.deliver(4, 'scram', { nonce, kdf: 'pbkdf2', salt: salt.toString('base64'), iterations: 4096 })
      const error = (await joining.catch((e: unknown) => e)) as AuthenticationError
      expect(error).toBeInstanceOf(AuthenticationError)
      expect(error.message).toContain('client nonce')
      expect(router.sentOfType(5)).toEqual([])
      expect(router.sentOfType(3)).toHaveLength(1)
    })
  })
})
