import { describe, expect, it } from 'vitest'
import type { Client, Event } from '../../src/client/index.js'
import type { LinePeer } from '../peers/line-peer.js'
import { nextValue, uniqueUri } from './targets.js'

/** The edges of int64 and uint64 that a double cannot hold. */
export const INT64_EDGES = [2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n]

/**
 * The 64-bit checks every peer we did not write goes through, both ways: a publication and a call
 * carry 2^53+1, 2^63-1, -2^63 and 2^64-1 exactly. `name` is the peer's name in the test titles,
 * `prefix` the start of its URIs.
 */
export function describeInt64Edges(
  name: string,
  prefix: string,
  join: () => Promise<Client>,
  peer: () => Promise<LinePeer>,
): void {
  const edges = INT64_EDGES
  describe('int64 and uint64 at the edges', () => {
    it(`${name} → us: a publication and a call carry 2^53+1, 2^63-1, -2^63 and 2^64-1 exactly`, async () => {
      const [client, other] = [await join(), await peer()]
      const topic = uniqueUri(`${prefix}.int64_event`)
      const events = nextValue<Event>()
      await client.subscribe(topic, (event) => events.push(event))
      await other.send({ op: 'publish', topic, args: edges, kwargs: { max: 2n ** 63n - 1n } })
      const event = await events.next()
      expect(event.args).toEqual(edges)
      expect(event.kwargs).toEqual({ max: 2n ** 63n - 1n })

      const procedure = uniqueUri(`${prefix}.int64_call`)
      await client.register(procedure, ({ args }) => ({ args: [...args, -(2n ** 53n) - 1n] }))
      const answer = await other.send({ op: 'call', procedure, args: edges })
      expect(answer.args).toEqual([...edges, -(2n ** 53n) - 1n])
    })

    it(`us → ${name}: a call to a ${name} callee and a publication to a ${name} subscriber carry the edges exactly`, async () => {
      const [client, other] = [await join(), await peer()]
      const procedure = uniqueUri(`${prefix}.int64_echo`)
      await other.send({ op: 'register', procedure })
      const result = await client.call(procedure, edges, { min: -(2n ** 63n) })
      expect((await other.waitFor((line) => line.invocation === procedure)).args).toEqual(edges)
      expect(result.args).toEqual(edges)
      expect(result.kwargs).toEqual({ min: -(2n ** 63n) })

      const topic = uniqueUri(`${prefix}.int64_event_back`)
      await other.send({ op: 'subscribe', topic })
      await client.publish(topic, edges, {}, { acknowledge: true })
      expect((await other.waitFor((line) => line.event === topic)).args).toEqual(edges)
    })
  })
}
