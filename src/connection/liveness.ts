import type { Client } from '../client/client.js'
import { startTimer } from '../client/timer.js'
import { ConnectionLostError, RPCError } from '../protocol/errors.js'
import type { Transport } from '../transports/transport.js'

/** The periodic check that finds a dead connection. */
export interface LivenessOptions {
  /** Time between checks, in ms. Default 15 000. */
  interval?: number
  /**
   * How long an answer may take, in ms. Default 5000. A dead connection is found within
   * interval + timeout (so within two intervals while timeout ≤ interval).
   */
  timeout?: number
  /**
   * Use the transport's own ping where it has one: WebSocket ping/pong with `ws` (Node),
   * RawSocket PING/PONG (not with Crossbar.io, which breaks on PING frames). Otherwise, and
   * with `false`, the check is a cheap call round trip, which works in browsers and on every
   * router. Default true.
   */
  transportPing?: boolean
}

/** Any router answers a call to a procedure nobody registered at once (with ERROR): that answer is the pong. */
const PROBE = 'react_wamp.liveness.probe'

/**
 * Checks a session's liveness periodically: with the transport's ping when it has one, else
 * with a call round trip. A check that gets no answer in time terminates the session with
 * ConnectionLostError, so the connection reconnects.
 */
export class Liveness {
  private timer: ReturnType<typeof setTimeout> | undefined
  private client: Client | undefined
  private checking = false

  /** `settings` is read at every session and check: options changed meanwhile apply from then on. */
  constructor(private readonly settings: () => LivenessOptions | undefined) {}

  private get options(): LivenessOptions | undefined {
    return this.settings()
  }

  start(client: Client): void {
    this.stop()
    if (!this.options) return
    this.client = client
    this.schedule(client)
  }

  /** Checks now instead of at the next interval (a browser woke up: the socket may be half-open). */
  probeNow(): void {
    const client = this.client
    if (!client || this.checking) return
    clearTimeout(this.timer)
    void this.check(client)
  }

  stop(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    this.client = undefined
  }

  private schedule(client: Client): void {
    this.timer = startTimer(() => void this.check(client), this.options?.interval ?? 15_000)
  }

  private async check(client: Client): Promise<void> {
    this.timer = undefined
    if (!client.isOpen || this.client !== client) return
    const timeout = this.options?.timeout ?? 5000
    // Looked up on every check: a transport may withdraw its ping (RawSocket on Crossbar.io).
    const ping = this.options?.transportPing !== false ? transportPing(client) : undefined
    this.checking = true
    const answered = await (ping ? probePing(ping, timeout) : probeCall(client, timeout))
    this.checking = false
    if (!client.isOpen || this.client !== client) return
    if (!answered) {
      const how = ping ? 'transport ping' : 'call round trip'
      client.terminate(
        new ConnectionLostError(`the router did not answer the liveness check (${how}) within ${timeout} ms`),
      )
      return
    }
    this.schedule(client)
  }
}

/** The ping of the client's transport, if it has one. */
function transportPing(client: Client): (() => Promise<void>) | undefined {
  // Client keeps its transport private; the liveness check is its one other reader.
  const transport = (client as unknown as { transport?: Transport }).transport
  const ping = transport?.ping
  return typeof ping === 'function' ? () => ping.call(transport) : undefined
}

/** Resolves true when the answer comes within `timeout`, false on a timeout or a failure. */
function withTimeout(answer: Promise<boolean>, timeout: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<false>((resolve) => {
    timer = startTimer(() => resolve(false), timeout)
  })
  return Promise.race([answer, expired]).finally(() => clearTimeout(timer))
}

function probePing(ping: () => Promise<void>, timeout: number): Promise<boolean> {
  let answer: Promise<boolean>
  try {
    answer = ping().then(
      () => true,
      () => false,
    )
  } catch {
    return Promise.resolve(false)
  }
  return withTimeout(answer, timeout)
}

async function probeCall(client: Client, timeout: number): Promise<boolean> {
  const abort = new AbortController()
  const answer = client.call(PROBE, [], {}, { signal: abort.signal, cancelMode: 'skip' }).then(
    () => true,
    (error: unknown) => error instanceof RPCError,
  )
  const alive = await withTimeout(answer, timeout)
  if (!alive) abort.abort()
  return alive
}
