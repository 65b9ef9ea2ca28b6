import { afterEach, describe, expect, it } from 'vitest'
import type { Client, Event } from '../../src/client/index.js'
import { nextValue, sessions, targets, uniqueUri } from './targets.js'

// Issue 22: what a CBOR publisher's values become for CBOR, MsgPack and JSON subscribers on each
// router (measured, then pinned): the router decodes and re-encodes every message.
const values = [Uint8Array.of(1, 2, 255), 2 ** 53, 2n ** 63n, -(2 ** 40), 1.5, 'héllo ✓', { k: [null, true] }]
const when = new Date(Date.UTC(2026, 11, 4, 23, 5, 52, 123))

describe.each(targets({ transports: ['ws', 'tcp'] }).filter((t) => t.serialization === 'cbor'))(
  'CBOR values across serializations: $label',
  (target) => {
    const pool = sessions(target)
    afterEach(() => pool.closeAll())

    /** A subscriber in `serialization` on the same router, and what it receives. */
    async function subscriber(serialization: 'json' | 'msgpack' | 'cbor', topic: string) {
      const client = await pool.join({ serialization })
      const events = nextValue<Event>()
      await client.subscribe(topic, (event) => events.push(event))
      return events
    }

    async function publish(publisher: Client, topic: string, args: unknown[]) {
      await publisher.publish(topic, args, {}, { acknowledge: true })
    }

    it('bytes, 64-bit integers, floats and text reach CBOR and MsgPack subscribers exactly', async () => {
      const topic = uniqueUri('cbor.values')
      const [overCbor, overMsgpack] = [await subscriber('cbor', topic), await subscriber('msgpack', topic)]
      await publish(await pool.join(), topic, values)
      expect((await overCbor.next()).args).toEqual(values)
      expect((await overMsgpack.next()).args).toEqual(values)
    })

    it('a JSON subscriber gets them too; nexus writes bytes as bare base64 text, without the NUL of the binary rule', async () => {
      const topic = uniqueUri('cbor.values.json')
      const overJson = await subscriber('json', topic)
      await publish(await pool.join(), topic, values)
      const bytes = target.router === 'nexus' ? 'AQL/' : values[0]
      expect((await overJson.next()).args).toEqual([bytes, ...values.slice(1)])
    })

    it('a Date (tag 1) comes back as a Date to a CBOR subscriber', async () => {
      const topic = uniqueUri('cbor.date')
      const overCbor = await subscriber('cbor', topic)
      await publish(await pool.join(), topic, [when])
      expect((await overCbor.next()).args).toEqual([when])
    })

    // Crossbar.io cannot write a datetime in JSON or MsgPack: it acknowledges the publication and
    // never delivers it there (a MsgPack publisher's Date fares the same). The next event arrives.
    it('a Date reaches a MsgPack subscriber as a Date and a JSON one as ISO text (nexus, local); Crossbar.io drops it for both', async () => {
      const topic = uniqueUri('cbor.date.others')
      const [overMsgpack, overJson] = [await subscriber('msgpack', topic), await subscriber('json', topic)]
      const publisher = await pool.join()
      await publish(publisher, topic, [when])
      await publish(publisher, topic, ['after'])
      if (target.router === 'crossbar') {
        expect((await overMsgpack.next()).args).toEqual(['after'])
        expect((await overJson.next()).args).toEqual(['after'])
        return
      }
      expect((await overMsgpack.next()).args).toEqual([when])
      expect((await overJson.next()).args).toEqual([when.toISOString()])
    })
  },
)
