import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cryptosign, ticket, wampcra } from '../../src/auth/index.js'
import { type AuthMethod, connectLocal } from '../../src/client/index.js'
import { MessageLog } from '../../src/devtools/message-log.js'
import {
  defaultPreviewLimits,
  preview,
  REDACTED,
  redactMessage,
  redactUrl,
  redactUrlsIn,
} from '../../src/devtools/redact.js'
import { createRouter } from '../../src/router/index.js'
import { authenticate } from '../routers/local/authenticate.js'
import { CREDENTIALS } from '../routers/types.js'

/** Joins the local router's authrealm with `auth`, logging every message as the devtools would. */
async function joinAndLog(authid: string, auth: AuthMethod[], authextra?: Record<string, unknown>) {
  const router = createRouter({ realms: { authrealm: { authenticate } } })
  const raw: unknown[][] = []
  const log = new MessageLog(50)
  const client = await connectLocal(router, {
    realm: 'authrealm',
    authid,
    auth,
    authextra,
    tap: (direction, message) => {
      raw.push(structuredClone(message) as unknown[])
      log.push(direction, message)
    },
  })
  await client.close()
  await router.close()
  return { raw, shown: JSON.stringify(log.entries()) }
}

const byType = (messages: unknown[][], type: number) => messages.find((m) => m[0] === type)!

describe('redaction of the handshake in the devtools log (real handshakes on the local router)', () => {
  it('ticket: the ticket never appears; AUTHENTICATE shows <redacted>', async () => {
    const { raw, shown } = await joinAndLog(CREDENTIALS.ticket.authid, [ticket(CREDENTIALS.ticket.ticket)])
    expect(byType(raw, 5)[1]).toBe(CREDENTIALS.ticket.ticket) // it was on the wire
    expect(shown).not.toContain(CREDENTIALS.ticket.ticket)
    expect(shown).toContain(REDACTED)
    expect(shown).toContain('"AUTHENTICATE"')
    expect(shown).toContain('"WELCOME"')
  })

  it('WAMP-CRA: neither the challenge nor the signature appears', async () => {
    const { raw, shown } = await joinAndLog(CREDENTIALS.wampcra.authid, [wampcra(CREDENTIALS.wampcra.secret)])
    const challenge = (byType(raw, 4)[2] as { challenge: string }).challenge
    const signature = byType(raw, 5)[1] as string
    expect(shown).not.toContain(signature)
    expect(shown).not.toContain(JSON.stringify(challenge).slice(1, 30))
    expect(shown).not.toContain(CREDENTIALS.wampcra.secret)
  })

  it('cryptosign: the challenge, the signature and HELLO’s authextra values are hidden', async () => {
    const { raw, shown } = await joinAndLog(CREDENTIALS.cryptosign.authid, [cryptosign(CREDENTIALS.cryptosign.seed)])
    const challenge = (byType(raw, 4)[2] as { challenge: string }).challenge
    const signature = byType(raw, 5)[1] as string
    expect(shown).not.toContain(challenge)
    expect(shown).not.toContain(signature)
    expect(shown).not.toContain(CREDENTIALS.cryptosign.pubkey)
    expect(shown).not.toContain(CREDENTIALS.cryptosign.seed)
  })

  it('keeps which fields were sent, and never changes the message itself', () => {
    const hello = [
      1,
      'realm1',
      { authid: 'ada', authmethods: ['scram'], authextra: { nonce: 'n0nce', channel_binding: null } },
    ]
    const copy = structuredClone(hello)
    expect(redactMessage(hello)).toEqual([
      1,
      'realm1',
      { authid: 'ada', authmethods: ['scram'], authextra: { nonce: REDACTED, channel_binding: REDACTED } },
    ])
    expect(hello).toEqual(copy)
    expect(redactMessage([5, 'proof', { cbind_data: 'x' }])).toEqual([5, REDACTED, { cbind_data: REDACTED }])
    expect(redactMessage([4, 'wampcra', { challenge: 'c', salt: 's' }])).toEqual([
      4,
      'wampcra',
      { challenge: REDACTED, salt: REDACTED },
    ])
    expect(redactMessage([2, 7, { authid: 'ada', authextra: { scram_server_signature: 'sig' } }])).toEqual([
      2,
      7,
      { authid: 'ada', authextra: { scram_server_signature: REDACTED } },
    ])
  })
})

describe('URLs', () => {
  it('redactUrl keeps the scheme, user, host and path, hides the password, query values and fragment', () => {
    expect(redactUrl('ws://127.0.0.1:8080/ws')).toBe('ws://127.0.0.1:8080/ws')
    expect(redactUrl('unix:///run/router.sock')).toBe('unix:///run/router.sock')
    expect(redactUrl('wss://u:p@h/ws?t=1&a=2#x')).toBe('wss://u:<redacted>@h/ws?t=<redacted>&a=<redacted>#<redacted>')
    expect(redactUrl('not a url ?token=1')).toBe('<redacted>')
    expect(redactUrlsIn('could not open wss://h/ws?t=secret within 5000 ms')).toBe(
      'could not open wss://h/ws?t=<redacted> within 5000 ms',
    )
  })
})

describe('payload previews', () => {
  it('cuts long strings, long arrays, many keys and deep nesting; shows bytes and bigints', () => {
    const limits = { maxString: 5, maxItems: 2, maxDepth: 2 }
    expect(preview('abcdefgh', limits)).toBe('abcde… (8 characters)')
    expect(preview([1, 2, 3, 4], limits)).toEqual([1, 2, '… 2 more'])
    expect(preview({ a: 1, b: 2, c: 3 }, limits)).toEqual({ a: 1, b: 2, '…': '1 more keys' })
    expect(preview([[[[1]]]], limits)).toEqual([['<array of 1>']])
    expect(preview(new Uint8Array(300), limits)).toBe('<300 bytes>')
    expect(preview(12n ** 30n, defaultPreviewLimits)).toBe(`${12n ** 30n}n`)
    expect(preview(new Map(), limits)).toBe('<Map>')
  })

  it('a huge bigint (a JSON digit run beyond 64 bits) is shown by its size, not printed in full', () => {
    const huge = 7n ** 200_000n
    const shown = preview([huge, -huge], defaultPreviewLimits) as string[]
    expect(shown[0]).toBe('<bigint of about 169020 digits>')
    expect(shown[1]).toBe(shown[0])
    expect(preview(-(12n ** 30n), defaultPreviewLimits)).toBe(`${-(12n ** 30n)}n`)
  })

  it('property: any value previews to JSON of bounded size, and the input is left as it was', () => {
    const limits = { maxString: 20, maxItems: 4, maxDepth: 3 }
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withTypedArray: true, withDate: true, withMap: true }), (value) => {
        const before = fc.stringify(value)
        const text = JSON.stringify(preview(value, limits)) ?? ''
        // At most 4 items per level, 4 levels, each string cut to 20 characters plus its note.
        expect(text.length).toBeLessThan(4 ** 4 * 80)
        expect(fc.stringify(value)).toBe(before)
      }),
      { numRuns: 300 },
    )
  })
})
