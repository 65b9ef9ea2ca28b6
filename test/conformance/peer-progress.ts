import { describe, expect, it } from 'vitest'
import type { Client, Result } from '../../src/client/index.js'
import type { LinePeer } from '../peers/line-peer.js'
import { uniqueUri } from './targets.js'

/**
 * Progressive results both ways with a peer we did not write: its callee's progress reaches our
 * caller, and our callee's progress reaches its caller. `name` is the peer's name in the titles,
 * `prefix` the start of its URIs.
 */
export function describePeerProgress(
  name: string,
  prefix: string,
  join: () => Promise<Client>,
  peer: () => Promise<LinePeer>,
): void {
  describe('progressive results', () => {
    it(`a ${name} callee sends progress to our caller`, async () => {
      const [client, other] = [await join(), await peer()]
      const procedure = uniqueUri(`${prefix}.progress`)
      await other.send({ op: 'register', procedure, progress: [[1], [2], [3]], reply: { args: ['done'] } })
      const chunks: Result[] = []
      const result = await client.call(procedure, [], {}, { onProgress: (chunk) => chunks.push(chunk) })
      expect(chunks.map((chunk) => chunk.args)).toEqual([[1], [2], [3]])
      expect(result.args).toEqual(['done'])
    })

    it(`our callee sends progress to a ${name} caller`, async () => {
      const [client, other] = [await join(), await peer()]
      const procedure = uniqueUri(`${prefix}.progress_back`)
      await client.register(procedure, ({ progress }) => {
        for (const n of [1, 2, 3]) progress([n])
        return { args: ['done'] }
      })
      const answer = await other.send({ op: 'call', procedure, wantProgress: true })
      expect(answer.progress).toEqual([[1], [2], [3]])
      expect(answer.args).toEqual(['done'])
    })
  })
}
