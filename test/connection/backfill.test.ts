import { describe, expect, it } from 'vitest'
import type { Event } from '../../src/client/index.js'
import { Backfill, type HistoryOptions } from '../../src/connection/backfill.js'
import type { EventHistory, HistoryEvent } from '../../src/meta/event-history.js'
import { ConnectionLostError, ResponseTimeoutError, RPCError } from '../../src/protocol/errors.js'

const event = (n: number): Event => ({
  args: [n],
  kwargs: {},
  details: {},
  topic: 't',
  subscription: 1,
  publication: 1000 + n,
})
const stored = (n: number, details = {}): HistoryEvent => ({ publication: 1000 + n, details, args: [n], kwargs: {} })
const history = (...numbers: number[]): EventHistory => ({ events: numbers.map((n) => stored(n)) })

/** A Backfill whose history reads the test answers by hand. */
function harness(options: HistoryOptions) {
  const delivered: number[] = []
  const reports: string[] = []
  const reads: { limit: number; answer(h: EventHistory): Promise<void>; fail(e: Error): Promise<void> }[] = []
  const backfill = new Backfill(
    't',
    options,
    (e) => void delivered.push(e.args[0] as number),
    (c) => void reports.push(c.status),
  )
  /** One session: begin, granted; returns its read (if a fill is due). */
  const session = () => {
    const token = backfill.begin()
    backfill.granted(token, 1, (limit) => {
      return new Promise<EventHistory>((resolve, reject) => {
        const settle = async (f: () => void) => {
          f()
          await Promise.resolve()
          await Promise.resolve()
        }
        reads.push({ limit, answer: (h) => settle(() => resolve(h)), fail: (e) => settle(() => reject(e)) })
      })
    })
    return reads.at(-1)
  }
  return { backfill, delivered, reports, reads, session }
}

describe('Backfill (the per-subscription fill machine)', () => {
  it('`last` counts only what was published before subscribing: events that came live during the first read follow, in order', async () => {
    const h = harness({ last: 3 })
    const read = h.session()!
    for (const n of [3, 4, 5, 6]) h.backfill.receive(event(n)) // published after we subscribed
    await read.answer(history(1, 2, 3, 4, 5, 6))
    expect(h.delivered).toEqual([1, 2, 3, 4, 5, 6])
    expect(h.backfill.current).toEqual({ status: 'complete', filling: false })
  })

  it('a first read lost with its session: what the next read finds since the first live event is delivered, in order', async () => {
    const h = harness({ last: 3 })
    h.session() // its read is lost with the session
    h.backfill.receive(event(3)) // came live; 4 was lost on the dead link
    const read = h.session()!
    await read.answer(history(1, 2, 3, 4))
    expect(h.delivered).toEqual([1, 2, 3, 4])
    expect(h.backfill.current).toMatchObject({ status: 'partial', filling: false })
  })

  it('holds live events while a read is in flight, then merges: history after our position, then held, each once', async () => {
    const h = harness({ backfill: true })
    await h.session()!.answer(history(1, 2))
    h.backfill.receive(event(3))
    const read = h.session()!
    expect(h.backfill.current.filling).toBe(true)
    h.backfill.receive(event(6))
    h.backfill.receive(event(7))
    await read.answer(history(1, 2, 3, 4, 5, 6))
    expect(h.delivered).toEqual([3, 4, 5, 6, 7])
    expect(h.backfill.current).toEqual({ status: 'complete', filling: false })
    expect(read.limit).toBe(1000)
  })

  it('orders a newest-first history (Crossbar.io’s time_ns records) oldest first', async () => {
    const h = harness({ last: 2 })
    await h
      .session()!
      .answer({ events: [stored(3, { time_ns: 30 }), stored(2, { time_ns: 20 }), stored(1, { time_ns: 10 })] })
    expect(h.delivered).toEqual([2, 3])
  })

  it('a refused read (an RPCError) is unfillable and lets the held events through', async () => {
    const h = harness({ backfill: true })
    const read = h.session()!
    h.backfill.receive(event(1))
    await read.fail(new RPCError('wamp.error.history_unavailable'))
    expect(h.delivered).toEqual([1])
    expect(h.backfill.current).toMatchObject({ status: 'unfillable', filling: false })
    expect(h.backfill.current.reason).toContain('history_unavailable')
  })

  it('a read lost with its session keeps the held events for the next session’s read', async () => {
    const h = harness({ backfill: true })
    await h.session()!.answer(history(1))
    h.backfill.receive(event(2))
    const lost = h.session()!
    h.backfill.receive(event(4))
    await lost.fail(new ConnectionLostError('gone'))
    expect(h.backfill.current.filling).toBe(true)
    expect(h.delivered).toEqual([2])
    await h.session()!.answer(history(1, 2, 3, 4, 5))
    expect(h.delivered).toEqual([2, 3, 4, 5])
    expect(h.backfill.current.status).toBe('complete')
  })

  it('a read that times out (the session lives on) is partial and lets the held events through', async () => {
    const h = harness({ backfill: true })
    await h.session()!.answer(history())
    h.backfill.receive(event(1))
    const read = h.session()!
    h.backfill.receive(event(3))
    await read.fail(new ResponseTimeoutError('get_events', 3000))
    expect(h.delivered).toEqual([1, 3])
    expect(h.backfill.current).toMatchObject({ status: 'partial', filling: false })
    expect(h.backfill.current.reason).toContain('no reply from the router')
  })

  it('without backfill, a second subscribe reports partial at once', () => {
    const h = harness({ retained: true })
    h.session()
    h.session()
    expect(h.reports.at(-1)).toBe('partial')
  })

  it('an answer to a stale read is dropped', async () => {
    const h = harness({ backfill: true })
    const first = h.session()!
    const second = h.session()!
    await first.answer(history(1, 2, 3))
    expect(h.delivered).toEqual([])
    await second.answer(history(1, 2, 3))
    expect(h.delivered).toEqual([])
    // The first session subscribed and its read was lost: what came there is not known.
    expect(h.backfill.current).toMatchObject({ status: 'partial', filling: false })
  })

  it('a history that lost our position is partial, with `missing` from sequenceOf (a throwing one counts as unknown)', async () => {
    const h = harness({ backfill: true, sequenceOf: (e) => e.args[0] as number })
    await h.session()!.answer(history())
    h.backfill.receive(event(1))
    await h.session()!.answer(history(5, 6))
    expect(h.delivered).toEqual([1, 5, 6])
    expect(h.backfill.current).toMatchObject({ status: 'partial', missing: 3 })

    const throwing = harness({
      backfill: true,
      sequenceOf: () => {
        throw new Error('deliberate')
      },
    })
    await throwing.session()!.answer(history())
    throwing.backfill.receive(event(1))
    await throwing.session()!.answer(history(5))
    expect(throwing.backfill.current.status).toBe('partial')
    expect(throwing.backfill.current.missing).toBeUndefined()
  })

  it('`missing` counts every gap of a fill: before the events carried from a lost read, and after them', async () => {
    const h = harness({ backfill: true, sequenceOf: (e) => e.args[0] as number })
    await h.session()!.answer(history())
    h.backfill.receive(event(2))
    const lost = h.session()!
    for (const n of [5, 6, 7]) h.backfill.receive(event(n))
    await lost.fail(new ConnectionLostError('gone'))
    // The history (limit 3) lost 3, 4 and 8 meanwhile.
    await h.session()!.answer(history(9, 10, 11))
    expect(h.delivered).toEqual([2, 5, 6, 7, 9, 10, 11])
    expect(h.backfill.current).toMatchObject({ status: 'partial', missing: 3 })
  })

  it('an empty history after we saw events is unfillable (nexus lost it); worst stays', async () => {
    const h = harness({ backfill: true })
    await h.session()!.answer(history())
    h.backfill.receive(event(1))
    await h.session()!.answer(history())
    expect(h.backfill.current.status).toBe('unfillable')
    await h.session()!.answer(history(1, 2))
    expect(h.backfill.current.status).toBe('unfillable')
    expect(h.delivered).toEqual([1, 2])
  })

  it('without backfill a second subscribe is partial; a first read lost with its session is partial too', async () => {
    const once = harness({ last: 1 })
    await once.session()!.answer(history(1))
    expect(once.session()).toBe(once.reads[0])
    expect(once.backfill.current).toMatchObject({ status: 'partial', reason: 'subscribed again without backfill' })

    const lost = harness({ last: 1 })
    await lost.session()!.fail(new ConnectionLostError('gone'))
    await lost.session()!.answer(history(1, 2))
    expect(lost.delivered).toEqual([2])
    expect(lost.backfill.current.status).toBe('partial')
  })

  it('an event delivered twice (a retained event that also came live) is dropped', async () => {
    const h = harness({ retained: true })
    expect(h.session()).toBeUndefined()
    h.backfill.receive(event(1))
    h.backfill.receive(event(1))
    expect(h.delivered).toEqual([1])
  })
})

describe('history options that make no sense', () => {
  it('are refused for good: status error, an InvalidArgumentError naming the option, no completeness', async () => {
    const { createConnection } = await import('../../src/connection/index.js')
    const { createRouter } = await import('../../src/router/index.js')
    const { connectLocal, InvalidArgumentError } = await import('../../src/client/index.js')
    const router = createRouter({ realms: { realm1: {} } })
    const connection = createConnection({ realm: 'realm1', open: (_url, config) => connectLocal(router, config) })
    connection.start()
    const lease = connection.acquireSubscription('t.bad', () => {}, {}, { last: -1 })
    const deadline = Date.now() + 2000
    while (lease.status.getSnapshot().status !== 'error' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5))
    const { status, error } = lease.status.getSnapshot()
    expect(status).toBe('error')
    expect(error).toBeInstanceOf(InvalidArgumentError)
    expect(error?.message).toContain('history.last')
    expect(lease.status.getSnapshot().completeness).toBeUndefined()
    lease.release()
    await connection.close()
    await router.close()
  })
})
