import { decode as decodeMsgpack } from '@msgpack/msgpack'
import WebSocket, { WebSocketServer } from 'ws'

export type Wire = 'json' | 'msgpack'

/** Decodes one frame with JSON.parse or @msgpack/msgpack: independent of the library's own decoders. */
export function decodeFrame(frame: string | Uint8Array): unknown[] {
  return (typeof frame === 'string' ? JSON.parse(frame, binaryRule) : decodeMsgpack(frame)) as unknown[]
}

/** The spec's JSON binary rule: a string that starts with U+0000 is base64 bytes. */
function binaryRule(_key: string, value: unknown): unknown {
  return typeof value === 'string' && value.startsWith('\0')
    ? new Uint8Array(Buffer.from(value.slice(1), 'base64'))
    : value
}

/**
 * A scripted WAMP router on 127.0.0.1 for one connection at a time: it sends exactly the frames
 * the test gives it (JSON text frames, MsgPack binary frames) and records every frame the client
 * sends, as received on the wire.
 */
export async function startScriptedRouter() {
  const frames: (string | Uint8Array)[] = []
  const waiters: { type: number; after: number; resolve: (m: unknown[]) => void }[] = []
  let socket: WebSocket | undefined
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (protocols) => [...protocols].find((p) => p === 'wamp.2.json' || p === 'wamp.2.msgpack') ?? false,
  })
  const check = () => {
    for (const waiter of [...waiters]) {
      const found = frames
        .slice(waiter.after)
        .map(decodeFrame)
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
    /** Sends one frame: text for JSON, bytes (given as hex) for MsgPack. */
    send(wire: Wire, frame: string) {
      if (!socket || socket.readyState !== WebSocket.OPEN) throw new Error('no open connection')
      socket.send(wire === 'json' ? frame : Buffer.from(frame, 'hex'), { binary: wire === 'msgpack' })
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
