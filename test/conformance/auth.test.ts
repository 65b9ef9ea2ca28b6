import { afterEach, describe, expect, it } from 'vitest'
import type { AuthMethod } from '../../src/auth/index.js'
import { cryptosign, scram, ticket, wampcra } from '../../src/auth/index.js'
import { AuthenticationError, type Client, ConnectionLostError, connect } from '../../src/client/index.js'
import { CREDENTIALS } from '../routers/types.js'
import { sessions, type Target, targets } from './targets.js'

const { ticket: T, wampcra: CRA, wampcraSalted: SALTED, cryptosign: CS, scramArgon, scramPbkdf2 } = CREDENTIALS
/** A valid Ed25519 seed the routers do not know. */
const OTHER_SEED = '9f3b1c0e5d7a2b4c6e8f0a1b3c5d7e9f1a2b3c4d5e6f708192a3b4c5d6e7f809'
const WRONG = 'wrong-Secret-42'

/**
 * What each router answers for wrong credentials. Both ABORT with wamp.error.authentication_failed;
 * the Details.message differs:
 * - nexus: "invalid ticket" (ticket), "invalid signature" (wampcra, cryptosign), after the AUTHENTICATE.
 * - Crossbar.io: filled in from the run below.
 */
const DENIAL: Record<
  'nexus' | 'crossbar' | 'local',
  { reason: string; ticket: string; wampcra: string; cryptosign: string; scram?: string }
> = {
  nexus: {
    reason: 'wamp.error.authentication_failed',
    ticket: 'invalid ticket',
    wampcra: 'invalid signature',
    cryptosign: 'invalid signature',
  },
  crossbar: {
    reason: 'wamp.error.not_authorized',
    ticket: 'ticket in static WAMP-Ticket authentication is invalid',
    wampcra: 'WAMP-CRA client signature is invalid',
    // Crossbar.io checks HELLO.authextra.pubkey against the principal's authorized keys and refuses at once, without a CHALLENGE.
    cryptosign: 'extra.pubkey provided does not match any one of authorized_keys for the principal',
    scram: 'SCRAM authentication failed',
  },
  // The local router's test harness (test/routers/local/authenticate.ts) answers as nexus does.
  local: {
    reason: 'wamp.error.authentication_failed',
    ticket: 'invalid ticket',
    wampcra: 'invalid signature',
    cryptosign: 'invalid signature',
  },
}

// WebSocket and RawSocket/TCP cover both framings; unix adds nothing to authentication.
describe.each(targets({ transports: ['ws', 'tcp'] }))('authentication: $label', (target: Target) => {
  const pool = sessions(target)
  afterEach(() => pool.closeAll())
  const denial = DENIAL[target.router]

  const join = (auth: AuthMethod[]) => pool.join({ realm: 'authrealm', auth })

  function expectJoined(client: Client, authmethod: string, authid: string) {
    expect(client.isOpen).toBe(true)
    expect(client.realmDetails).toMatchObject({ authmethod, authid, authrole: 'user' })
  }

  /** Joining must fail with AuthenticationError; returns it. The wrong secret must not appear in it. */
  async function refused(auth: AuthMethod[]): Promise<AuthenticationError> {
    const attempt = () =>
      connect(target.url, { realm: 'authrealm', serialization: target.serialization, auth }).then(
        (client) => {
          void client.close()
          throw new Error(`joined as ${client.realmDetails.authid} with ${client.realmDetails.authmethod}`)
        },
        (e: unknown) => e,
      )
    let error = await attempt()
    // nexus closes the socket right after queueing its ABORT and its Close() discards queued messages
    // (transport/rawsocketpeer.go), so now and then the refusal arrives as a bare close: ask once more.
    if (target.router === 'nexus' && error instanceof ConnectionLostError) error = await attempt()
    expect(error).toBeInstanceOf(AuthenticationError)
    const failure = error as AuthenticationError
    expect(failure.code).toBe('authentication')
    expect(failure.reason).toBe(denial.reason)
    expect(failure.message).not.toContain(WRONG)
    return failure
  }

  describe('ticket', () => {
    it('the right ticket joins', async () => {
      expectJoined(await join([ticket(T.ticket, { authid: T.authid })]), 'ticket', T.authid)
    })

    it('a ticket from a function joins', async () => {
      expectJoined(await join([ticket(async () => T.ticket, { authid: T.authid })]), 'ticket', T.authid)
    })

    it('a wrong ticket is refused', async () => {
      const error = await refused([ticket(WRONG, { authid: T.authid })])
      expect(error.details.message).toBe(denial.ticket)
    })
  })

  describe('wampcra', () => {
    it('the right secret joins', async () => {
      expectJoined(await join([wampcra(CRA.secret, { authid: CRA.authid })]), 'wampcra', CRA.authid)
    })

    it('a wrong secret is refused', async () => {
      const error = await refused([wampcra(WRONG, { authid: CRA.authid })])
      expect(error.details.message).toBe(denial.wampcra)
    })

    it('salted: the right secret joins (PBKDF2 key from the CHALLENGE salt)', async () => {
      expectJoined(await join([wampcra(SALTED.secret, { authid: SALTED.authid })]), 'wampcra', SALTED.authid)
    })

    it('salted: a wrong secret is refused', async () => {
      const error = await refused([wampcra(WRONG, { authid: SALTED.authid })])
      expect(error.details.message).toBe(denial.wampcra)
    })
  })

  describe('cryptosign', () => {
    it('the right key joins', async () => {
      expectJoined(await join([cryptosign(CS.seed, { authid: CS.authid })]), 'cryptosign', CS.authid)
    })

    it('another key is refused', async () => {
      const error = await refused([cryptosign(OTHER_SEED, { authid: CS.authid })])
      expect(error.details.message).toBe(denial.cryptosign)
    })
  })

  describe('several methods', () => {
    it('[ticket, cryptosign] as ticketuser: the router takes ticket', async () => {
      expectJoined(await join([ticket(T.ticket, { authid: T.authid }), cryptosign(CS.seed)]), 'ticket', T.authid)
    })

    it('[cryptosign, ticket] as cryptouser: the router takes cryptosign', async () => {
      const auth = [cryptosign(CS.seed, { authid: CS.authid }), ticket(T.ticket)]
      expectJoined(await join(auth), 'cryptosign', CS.authid)
    })

    it('[cryptosign, ticket] as ticketuser: the router takes cryptosign, the first it supports, and does not fall back', async () => {
      // Neither router tries the next method when the user has no key for the first one.
      const error = await refused([cryptosign(CS.seed), ticket(T.ticket, { authid: T.authid })])
      expect(error.details.message).toBe(
        target.router === 'crossbar' ? `no principal with authid "${T.authid}" exists` : 'failed to retrieve key',
      )
    })
  })

  // Only Crossbar.io offers WAMP-SCRAM; nexus and the local router must refuse a scram-only join.
  describe('scram', () => {
    const hasScram = target.router === 'crossbar'

    it('argon2id-13: the right password joins and the router proves it knows the keys (refused without scram)', async () => {
      const auth = [scram(scramArgon.password, { authid: scramArgon.authid })]
      if (!hasScram) {
        expect((await refused(auth)).code).toBe('authentication')
        return
      }
      const client = await join(auth)
      expectJoined(client, 'scram', scramArgon.authid)
      expect((client.realmDetails.authextra as Record<string, unknown>).scram_server_signature).toBeTypeOf('string')
    })

    it('argon2id-13: a wrong password is refused', async () => {
      const error = await refused([scram(WRONG, { authid: scramArgon.authid })])
      if (hasScram) expect(error.details.message).toBe(denial.scram)
      else expect(error.code).toBe('authentication')
    })

    it('pbkdf2: the right password joins (refused without scram)', async () => {
      const auth = [scram(scramPbkdf2.password, { authid: scramPbkdf2.authid })]
      if (!hasScram) {
        expect((await refused(auth)).code).toBe('authentication')
        return
      }
      expectJoined(await join(auth), 'scram', scramPbkdf2.authid)
    })

    it('pbkdf2: a wrong password is refused', async () => {
      const error = await refused([scram(WRONG, { authid: scramPbkdf2.authid })])
      if (hasScram) expect(error.details.message).toBe(denial.scram)
      else expect(error.code).toBe('authentication')
    })

    it('[scram, ticket]: a router without scram takes ticket; Crossbar.io takes scram and refuses the wrong password', async () => {
      const auth = [scram(WRONG, { authid: T.authid }), ticket(T.ticket, { authid: T.authid })]
      if (hasScram) expect((await refused(auth)).code).toBe('authentication')
      else expectJoined(await join(auth), 'ticket', T.authid)
    })
  })
})
