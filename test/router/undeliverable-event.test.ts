import { describe, expect, it } from 'vitest'
import { type Event, RPCError } from '../../src/client/index.js'
import { failure, join, sleep, testRouter } from './support.js'

// Issue 16 item 3: a publication that a JSON subscriber cannot receive is refused to its publisher,
// never acknowledged and then silently not delivered.

describe('a publication a JSON subscriber cannot receive', () => {
  // (A foreign MsgPack peer's NaN is refused the same way; our own encoders refuse NaN before sending.)
  it.each([['a string that starts with U+0000', ['\0not base64 bytes!']]])(
    '%s from a MsgPack publisher: refused with invalid_argument, delivered to nobody',
    async (_name, args) => {
      const router = testRouter()
      const [publisher, packed, json] = [
        await join(router, { serialization: 'msgpack' }),
        await join(router, { serialization: 'msgpack' }),
        await join(router, { serialization: 'json' }),
      ]
      const events: Event[] = []
      await packed.subscribe('test.odd', (event) => events.push(event))
      const jsonSub = await json.subscribe('test.odd', (event) => events.push(event))
      const error = (await failure(publisher.publish('test.odd', args, {}, { acknowledge: true }))) as RPCError
      expect(error).toBeInstanceOf(RPCError)
      expect(error.uri).toBe('wamp.error.invalid_argument')
      expect(String(error.args[0])).toMatch(/JSON subscriber/)
      await sleep(20)
      expect(events).toEqual([])
      expect(json.isOpen).toBe(true)

      // Without a JSON recipient the same payload goes through.
      await jsonSub.unsubscribe()
      await publisher.publish('test.odd', args, {}, { acknowledge: true })
      await sleep(20)
      expect(events.map((e) => e.args)).toEqual([args])
    },
  )
})
