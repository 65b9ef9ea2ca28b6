/**
 * Checks the nexus test router against the contract in ../types.ts with hand-written WAMP JSON frames,
 * so a failure here points at the router setup, not at the client under test.
 */
import { createHmac, createPrivateKey, pbkdf2Sync, sign } from 'node:crypto'
import { existsSync } from 'node:fs'
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { selectedRouters } from '../start.js'
import { CREDENTIALS, type RunningRouter } from '../types.js'
import { startNexus } from './launch.js'

type Msg = [number, ...unknown[]]

/** A WAMP-over-WebSocket (JSON) peer that queues what it receives. */
class Peer {
  private queue: Msg[] = []
  private waiters: ((m: Msg) => void)[] = []
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as Msg
      const waiter = this.waiters.shift()
      if (waiter) waiter(msg)
      else this.queue.push(msg)
    })
  }
  static open(url: string): Promise<Peer> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, ['wamp.2.json'], { headers: { Origin: 'http://127.0.0.1:1' } })
      ws.once('open', () => resolve(new Peer(ws)))
      ws.once('error', reject)
    })
  }
  send(...msg: unknown[]): void {
    this.ws.send(JSON.stringify(msg))
  }
  next(): Promise<Msg> {
    const queued = this.queue.shift()
    if (queued) return Promise.resolve(queued)
    return new Promise((resolve) => this.waiters.push(resolve))
  }
  close(): void {
    this.ws.close()
  }
}

// nexus discloses the caller only to callees that announce caller_identification.
const roles = { caller: {}, callee: { features: { caller_identification: true } }, publisher: {}, subscriber: {} }

/** Sends HELLO, answers at most one CHALLENGE with `respond`, and returns WELCOME or ABORT. */
async function join(
  url: string,
  realm: string,
  auth: Record<string, unknown> = {},
  respond?: (extra: Record<string, unknown>) => string,
): Promise<{ peer: Peer; reply: Msg }> {
  const peer = await Peer.open(url)
  peer.send(1, realm, { roles, ...auth })
  let reply = await peer.next()
  if (reply[0] === 4 && respond) {
    peer.send(5, respond(reply[2] as Record<string, unknown>), {})
    reply = await peer.next()
  }
  return { peer, reply }
}

function rawSocketHandshake(target: { port: number } | { path: string }, serializer: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = 'path' in target ? connect(target.path) : connect(target.port, '127.0.0.1')
    socket.once('connect', () => socket.write(Buffer.from([0x7f, 0xf0 | serializer, 0, 0])))
    socket.once('data', (data) => {
      socket.destroy()
      resolve(data.subarray(0, 4).toString('hex'))
    })
    socket.once('error', reject)
  })
}

const craSign = (key: string | Buffer, challenge: unknown) =>
  createHmac('sha256', key).update(String(challenge)).digest('base64')

let router: RunningRouter

// Only when WAMP_ROUTERS selects nexus (the default): `WAMP_ROUTERS=local npm test` needs no Go.
const wanted = selectedRouters().includes('nexus')

beforeAll(async () => {
  if (wanted) router = await startNexus() // a cold `go build` takes about half a minute
}, 180_000)
afterAll(() => router?.stop())

describe.skipIf(!wanted)('nexus test router', () => {
  it('serves realm1 over WebSocket on /ws and /, from any Origin, with RPC round trips', async () => {
    const callee = await join(router.wsUrl, router.realm)
    const caller = await join(router.wsUrl.replace(/\/ws$/, '/'), router.realm)
    expect(callee.reply[0]).toBe(2)
    const features = (callee.reply[2] as { roles: { broker: { features: Record<string, boolean> } } }).roles.broker
    expect(features.features.event_history).toBe(true)

    callee.peer.send(64, 1, {}, 'test.add')
    const [registered] = await callee.peer.next()
    expect(registered).toBe(65)
    caller.peer.send(48, 1, { disclose_me: true }, 'test.add', [2, 3])
    const invocation = await callee.peer.next()
    expect(invocation[0]).toBe(68)
    expect((invocation[3] as { caller?: number }).caller).toBe(caller.reply[1])
    const args = invocation[4] as number[]
    callee.peer.send(70, invocation[1], {}, [(args[0] ?? 0) + (args[1] ?? 0)])
    expect(await caller.peer.next()).toEqual([50, 1, {}, [5]])
    callee.peer.close()
    caller.peer.close()
  })

  it('refuses disclose_me in realm2', async () => {
    const { peer } = await join(router.wsUrl, router.noDiscloseRealm)
    peer.send(16, 1, { acknowledge: true, disclose_me: true }, 'test.topic')
    const error = await peer.next()
    expect([error[0], error[4]]).toEqual([8, 'wamp.error.option_disallowed.disclose_me'])
    peer.close()
  })

  it('answers RawSocket handshakes for JSON and MsgPack on TCP and unix', async () => {
    const port = Number(new URL(router.tcpUrl ?? '').port)
    const path = (router.unixUrl ?? '').slice('unix://'.length)
    for (const target of [{ port }, { path }]) {
      expect(await rawSocketHandshake(target, 1)).toBe('7ff10000')
      expect(await rawSocketHandshake(target, 2)).toBe('7ff20000')
    }
  })

  it('authenticates ticket, wampcra (plain and salted) and cryptosign users in authrealm', async () => {
    const url = router.wsUrl
    const { ticket, wampcra, wampcraSalted, cryptosign } = CREDENTIALS
    const welcomes = [
      await join(url, router.authRealm, { authmethods: ['ticket'], authid: ticket.authid }, () => ticket.ticket),
      await join(url, router.authRealm, { authmethods: ['wampcra'], authid: wampcra.authid }, (extra) =>
        craSign(wampcra.secret, extra.challenge),
      ),
      await join(url, router.authRealm, { authmethods: ['wampcra'], authid: wampcraSalted.authid }, (extra) => {
        expect(extra).toMatchObject({ salt: wampcraSalted.salt, iterations: 1000, keylen: 32 })
        const { secret, salt, iterations, keylen } = wampcraSalted
        const key = pbkdf2Sync(secret, salt, iterations, keylen, 'sha256').toString('base64')
        return craSign(key, extra.challenge)
      }),
      await join(url, router.authRealm, { authmethods: ['cryptosign'], authid: cryptosign.authid }, (extra) => {
        const pkcs8 = Buffer.concat([
          Buffer.from('302e020100300506032b657004220420', 'hex'),
          Buffer.from(cryptosign.seed, 'hex'),
        ])
        const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })
        const challenge = Buffer.from(String(extra.challenge), 'hex')
        return sign(null, challenge, key).toString('hex') + challenge.toString('hex')
      }),
    ]
    const got = welcomes.map(({ peer, reply }) => {
      peer.close()
      const details = reply[2] as Record<string, unknown>
      return [reply[0], details.authid, details.authmethod, details.authrole]
    })
    expect(got).toEqual([
      [2, 'ticketuser', 'ticket', 'user'],
      [2, 'crauser', 'wampcra', 'user'],
      [2, 'saltuser', 'wampcra', 'user'],
      [2, 'cryptouser', 'cryptosign', 'user'],
    ])
  })

  it('rejects a wrong ticket and anonymous joins to authrealm', async () => {
    const { ticket } = CREDENTIALS
    const auth = { authmethods: ['ticket'], authid: ticket.authid }
    const wrong = await join(router.wsUrl, router.authRealm, auth, () => 'wrong-ticket')
    expect(wrong.reply.slice(0, 3)).toEqual([3, { message: 'invalid ticket' }, 'wamp.error.authentication_failed'])
    const anonymous = await join(router.wsUrl, router.authRealm)
    expect(anonymous.reply[0]).toBe(3)
    wrong.peer.close()
    anonymous.peer.close()
  })

  it('kill() drops the router and restart() brings it back on the same endpoints', async () => {
    await router.kill()
    await expect(Peer.open(router.wsUrl)).rejects.toThrow()
    await router.restart()
    const { peer, reply } = await join(router.wsUrl, router.realm)
    expect(reply[0]).toBe(2)
    peer.close()
    expect(await rawSocketHandshake({ path: (router.unixUrl ?? '').slice('unix://'.length) }, 1)).toBe('7ff10000')
  })

  it('stop() is idempotent and removes the unix socket', async () => {
    const path = (router.unixUrl ?? '').slice('unix://'.length)
    await router.stop()
    await router.stop()
    expect(existsSync(path)).toBe(false)
  })
})
