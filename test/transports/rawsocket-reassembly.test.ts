/**
 * Issue 17, case 8: RawSocket reassembly joined everything buffered on every chunk, so a 16 MiB
 * message in small chunks was quadratic (about 1.9 s of CPU). The algorithm is asserted, not the
 * time: ByteQueue counts the bytes it copies, and a message in any number of chunks costs at
 * most one copy of itself.
 */
import { createServer, type Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { jsonSerializer } from '../../src/serializers/index.js'
import { ByteQueue } from '../../src/transports/byte-queue.js'
import { openRawSocket } from '../../src/transports/rawsocket.js'

const MIB = 2 ** 20
/** The largest payload a RawSocket header can announce (2^24 − 1 bytes, just under 16 MiB). */
const LARGEST = 2 ** 24 - 1

function header(type: number, length: number): Buffer {
  const head = Buffer.alloc(4)
  head[0] = type
  head.writeUIntBE(length, 1, 3)
  return head
}

/** A JSON EVENT whose encoding is exactly `length` bytes. */
function eventOfLength(length: number): Buffer {
  const empty = JSON.stringify([36, 100, 1, {}, ['']])
  return Buffer.from(JSON.stringify([36, 100, 1, {}, ['x'.repeat(length - empty.length)]]), 'utf8')
}

function* chunksOf(data: Buffer, size: number): Generator<Buffer> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size)
}

describe('ByteQueue: each byte is copied at most once', () => {
  it('a 16 MiB frame in 1 KiB chunks: 16,385 chunks, one copy of the payload (the old way: ~128 GiB)', () => {
    const queue = new ByteQueue()
    const frame = Buffer.concat([header(0, LARGEST), Buffer.alloc(LARGEST, 0x61)])
    let chunks = 0
    let payload: Buffer | undefined
    for (const chunk of chunksOf(frame, 1024)) {
      queue.push(chunk)
      chunks += 1
      if (queue.length >= 4 && payload === undefined && queue.length >= 4 + LARGEST) {
        queue.take(4)
        payload = queue.take(LARGEST)
      }
    }
    expect(chunks).toBe(16_385)
    expect(payload?.length).toBe(LARGEST)
    expect(payload?.every((byte) => byte === 0x61)).toBe(true)
    // The header sat in the first chunk (a view); the payload spans 16,384 chunks: joined once.
    expect(queue.copied).toBe(LARGEST)
    expect(queue.length).toBe(0)
  })

  it('a stream of frames split at every possible point copies at most the bytes it reads', () => {
    const frames = [1, 5, 300, 4, 0, 70].map((length, i) => Buffer.concat([header(0, length), Buffer.alloc(length, i)]))
    const stream = Buffer.concat(frames)
    for (const size of [1, 2, 3, 5, 7, 64, stream.length]) {
      const queue = new ByteQueue()
      const read: number[] = []
      // As the transport reads: a header, then its payload once complete.
      let pending: number | undefined
      for (const chunk of chunksOf(stream, size)) {
        queue.push(chunk)
        for (;;) {
          if (pending === undefined) {
            if (queue.length < 4) break
            pending = queue.take(4).readUIntBE(1, 3)
          }
          if (queue.length < pending) break
          read.push(queue.take(pending).length)
          pending = undefined
        }
      }
      expect(queue.copied).toBeLessThanOrEqual(stream.length)
      expect(read).toEqual([1, 5, 300, 4, 0, 70])
    }
  })
})

describe('RawSocket transport reassembly (a tiny local TCP router)', () => {
  it('a 16 MiB message fed in 1 KiB chunks arrives intact; the bytes copied are at most the message', async () => {
    const sockets: Socket[] = []
    const server = createServer((socket) => {
      sockets.push(socket)
      socket.on('error', () => {})
      socket.once('data', () => socket.write(Uint8Array.of(0x7f, 0xf1, 0, 0)))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    try {
      const transport = await openRawSocket(`tcp://127.0.0.1:${port}`, {
        serializer: jsonSerializer,
        openTimeout: 2000,
      })
      const received: unknown[] = []
      transport.listen({ message: (message) => received.push(message), error: (error) => received.push(error) })
      const inner = transport as unknown as { feed(chunk: Buffer): void; input: ByteQueue }
      const message = eventOfLength(LARGEST)
      const frame = Buffer.concat([header(0, message.length), message])
      let chunks = 0
      for (const chunk of chunksOf(frame, 1024)) {
        inner.feed(chunk)
        chunks += 1
      }
      expect(chunks).toBe(16 * 1024 + 1)
      expect(received).toHaveLength(1)
      const event = received[0] as [number, number, number, object, string[]]
      expect(event.slice(0, 4)).toEqual([36, 100, 1, {}])
      expect(event[4][0]).toHaveLength(LARGEST - JSON.stringify([36, 100, 1, {}, ['']]).length)
      expect(inner.input.copied).toBeLessThanOrEqual(message.length + 4)
      expect(inner.input.copied).toBeGreaterThan(16 * MIB - 1024) // it did have to join the chunks once
      transport.close()
    } finally {
      for (const socket of sockets) socket.destroy()
      server.close()
    }
  })
})
