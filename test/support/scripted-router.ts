import { decode as decodeMsgpack } from '@msgpack/msgpack'
import cbor from 'cbor'
import WebSocket, { WebSocketServer } from 'ws'

export type Wire = 'json' | 'msgpack' | 'cbor'

/**
 * Decodes one frame with JSON.parse, @msgpack/msgpack or the `cbor` package (binary frames are
 * MsgPack unless `wire` says CBOR): independent of the library's own decoders.
 */
export function decodeFrame(frame: string | Uint8Array, wire?: Wire): unknown[] {
  if (typeof frame === 'string') return JSON.parse(frame, binaryRule) as unknown[]
  return (wire === 'cbor' ? plainBytes(cbor.decodeFirstSync(Buffer.from(frame))) : decodeMsgpack(frame)) as unknown[]
}

/** The `cbor` package's Buffers as plain Uint8Arrays, as the other decoders give bytes. */
function plainBytes(value: unknown): unknown {
  if (value instanceof Uint8Array) return new Uint8Array(value)
  if (Array.isArray(value)) return value.map(plainBytes)
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plainBytes(item)]))
  }
  return value
}

/** The spec's JSON binary rule: a string that starts with U+0000 is base64 bytes. */
function binaryRule(_key: string, value: unknown): unknown {
  return typeof value === 'string' && value.startsWith('\0')
    ? new Uint8Array(Buffer.from(value.slice(1), 'base64'))
    : value
}

const WIRES = new Map<string, Wire>([
  ['wamp.2.json', 'json'],
  ['wamp.2.msgpack', 'msgpack'],
  ['wamp.2.cbor', 'cbor'],
])

/**
 * A scripted WAMP router on 127.0.0.1 for one connection at a time: it sends exactly the frames
 * the test gives it (JSON text frames, MsgPack and CBOR binary frames) and records every frame the client
 * sends, as received on the wire.
 */
export async function startScriptedRouter() {
  const frames: (string | Uint8Array)[] = []
  const waiters: { type: number; after: number; resolve: (m: unknown[]) => void }[] = []
  let socket: WebSocket | undefined
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (protocols) => [...protocols].find((p) => WIRES.has(p)) ?? false,
  })
  const check = () => {
    for (const waiter of [...waiters]) {
      const found = frames
        .slice(waiter.after)
        .map((frame) => decodeFrame(frame, WIRES.get(socket?.protocol ?? '')))
        .find((m) => m[0] === waiter.type)
      if (found) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(found)
      }
    }
  }
  server.on('connection', (ws) => {
    socket = ws
    ws.on('message', (data, isBinary) => {
      if (ws !== socket) return // an earlier connection's last words
      frames.push(isBinary ? new Uint8Array(data as Buffer) : data.toString())
      check()
    })
  })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    /** Every frame the client sent on the current connection, as it came. */
    frames,
    /** Forgets the current connection and its frames: call before the client connects. */
    reset() {
      socket = undefined
      frames.length = 0
    },
    /** Sends one frame: text for JSON, bytes (given as hex) for MsgPack and CBOR. */
    send(wire: Wire, frame: string) {
      if (!socket || socket.readyState !== WebSocket.OPEN) throw new Error('no open connection')
      socket.send(wire === 'json' ? frame : Buffer.from(frame, 'hex'), { binary: wire !== 'json' })
    },
    /** The first message of this type the client sent (at index `after` or later), decoded. */
    next(type: number, after = 0, timeout = 2000): Promise<unknown[]> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no message of type ${type} within ${timeout} ms`)), timeout)
        waiters.push({
          type,
          after,
          resolve: (m) => {
            clearTimeout(timer)
            resolve(m)
          },
        })
        check()
      })
    },
    close(): Promise<void> {
      for (const client of server.clients) client.terminate()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}

export type ScriptedRouter = Awaited<ReturnType<typeof startScriptedRouter>>
