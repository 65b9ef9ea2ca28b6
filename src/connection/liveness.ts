import type { Client } from '../client/client.js'
import { ConnectionLostError, RPCError } from '../protocol/errors.js'

/** The periodic round trip that finds a dead connection. */
export interface LivenessOptions {
  /** Time between checks, in ms. Default 15 000. */
  interval?: number
  /** How long an answer may take, in ms. Default 5000. A dead connection is found within interval + timeout. */
  timeout?: number
}

/** Any router answers a call to a procedure nobody registered at once (with ERROR): that answer is the pong. */
const PROBE = 'react_wamp.liveness.probe'

/** Checks a session's liveness with a cheap call round trip that works on every router and in browsers. */
export class Liveness {
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(private readonly options: LivenessOptions | undefined) {}

  start(client: Client): void {
    this.stop()
    if (!this.options) return
    const interval = this.options.interval ?? 15_000
    const timeout = this.options.timeout ?? 5000
    const check = () => {
      this.timer = setTimeout(async () => {
        if (!client.isOpen) return
        const answered = await probe(client, timeout)
        if (!client.isOpen) return
        if (!answered) {
          client.terminate(new ConnectionLostError(`the router did not answer the liveness check within ${timeout} ms`))
          return
        }
        check()
      }, interval)
    }
    check()
  }

  stop(): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }
}

async function probe(client: Client, timeout: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const abort = new AbortController()
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeout)
  })
  const answer = client.call(PROBE, [], {}, { signal: abort.signal, cancelMode: 'skip' }).then(
    () => true,
    (error: unknown) => error instanceof RPCError,
  )
  const alive = await Promise.race([answer, expired])
  clearTimeout(timer)
  if (!alive) abort.abort()
  return alive
}
