import { afterEach, describe, expect, it } from 'vitest'
import { ConnectionLostError, type Event } from '../../src/client/index.js'
import { MAX_NESTING } from '../../src/protocol/nesting.js'
import { nextValue, sessions, targets, uniqueUri } from './targets.js'

/** `levels` lists and dictionaries, one inside the other. */
const nested = (levels: number): unknown => {
  let value: unknown = 'leaf'
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { k: value }
  return value
}

/**
 * Crossbar.io decodes CBOR (cbor2 6.3) at most 400 levels deep (measured: 400 pass, 401 close the
 * connection with 1002), against 1023 in JSON and MsgPack and in nexus's CBOR.
 */
const CROSSBAR_CBOR_NESTING = 400

// Issue 16 item 3: a publication nested as deep as the nexus router accepts (1023 levels in all,
// the message list being level 1) is acknowledged and delivered, never acknowledged and dropped.
describe.each(targets({ transports: ['ws', 'inproc'] }))('nesting: $label', (target) => {
  const pool = sessions(target)
  afterEach(() => pool.closeAll())
  const levels = target.router === 'crossbar' && target.serialization === 'cbor' ? CROSSBAR_CBOR_NESTING : MAX_NESTING

  it(`a publication nested ${levels} levels deep is acknowledged and delivered`, async () => {
    const [subscriber, publisher] = [await pool.join(), await pool.join()]
    const topic = uniqueUri('ps.deep')
    const events = nextValue<Event>()
    await subscriber.subscribe(topic, (event) => events.push(event))
    // EVENT is as deep as PUBLISH: [36, …, [payload]] with the payload at level 3.
    const payload = nested(levels - 2)
    const publication = await publisher.publish(topic, [payload], {}, { acknowledge: true })
    const event = await events.next()
    expect(event.publication).toBe(publication)
    expect(event.args).toEqual([payload])
  })

  it('a call result nested as deep comes back whole', async () => {
    const [callee, caller] = [await pool.join(), await pool.join()]
    const procedure = uniqueUri('rpc.deep')
    const payload = nested(levels - 2)
    await callee.register(procedure, ({ args }) => ({ args }))
    expect((await caller.call(procedure, [payload])).args).toEqual([payload])
  })
})

const crossbarCbor = targets({ transports: ['ws', 'tcp'] }).filter(
  (target) => target.router === 'crossbar' && target.serialization === 'cbor',
)
describe.each(crossbarCbor)('Crossbar.io CBOR nesting limit: $label', (target) => {
  const pool = sessions(target)
  afterEach(() => pool.closeAll())

  it(`closes the connection of a CBOR message ${CROSSBAR_CBOR_NESTING + 1} levels deep`, async () => {
    const [callee, caller] = [await pool.join(), await pool.join()]
    const procedure = uniqueUri('rpc.deeper')
    await callee.register(procedure, ({ args }) => ({ args }))
    const error = await caller.call(procedure, [nested(CROSSBAR_CBOR_NESTING - 1)]).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectionLostError)
  })
})
