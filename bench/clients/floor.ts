import { once } from 'node:events'
import { Decoder, Encoder } from '@msgpack/msgpack'
import WebSocket from 'ws'
import { PAYLOAD, PROCEDURE, TOPIC } from '../workload.js'
import type { BenchClient, ConnectBench } from './types.js'

const CALL = 48
const RESULT = 50
const SUBSCRIBE = 32
const SUBSCRIBED = 33
const EVENT = 36

/**
 * The floor: a bare `ws` socket that sends pre-encoded CALL frames (only the request ID is patched
 * in) and counts the RESULT and EVENT frames by their first bytes, without decoding them. It does
 * the HELLO/WELCOME and SUBSCRIBE/SUBSCRIBED exchanges and one check call with full decoding.
 */
export const connectFloor: ConnectBench = (url, realm, serialization) => floor(url, realm, serialization, false)

/**
 * The floor plus decoding: the same socket and frames, but every RESULT and EVENT frame is decoded
 * (`JSON.parse`, or a reused @msgpack/msgpack Decoder) and dropped — the least any WAMP client must do.
 */
export const connectDecodingFloor: ConnectBench = (url, realm, serialization) => floor(url, realm, serialization, true)

async function floor(url: string, realm: string, serialization: 'json' | 'msgpack', decodeAll: boolean) {
  const binary = serialization === 'msgpack'
  const encoder = new Encoder()
  const decoder = new Decoder()
  const encode = (message: unknown[]) => (binary ? encoder.encode(message) : JSON.stringify(message))
  const decode = (frame: Buffer) => (binary ? decoder.decode(frame) : JSON.parse(frame.toString())) as unknown[]
  /** True when the frame is a WAMP message of this type: msgpack `[0x9n, type, …`, JSON `[type,…`. */
  const isType = binary
    ? (frame: Buffer, type: number) => frame[1] === type
    : (frame: Buffer, type: number) =>
        frame[1] === 48 + ((type / 10) | 0) && frame[2] === 48 + (type % 10) && frame[3] === 44

  const ws = new WebSocket(url, [`wamp.2.${serialization}`])
  await once(ws, 'open')

  let onFrame: (frame: Buffer) => void = () => {}
  ws.on('message', (frame: Buffer) => onFrame(frame))
  const request = (message: unknown[]): Promise<unknown[]> => {
    ws.send(encode(message))
    return new Promise((resolve) => {
      onFrame = (frame) => resolve(decode(frame))
    })
  }

  const welcome = await request([1, realm, { roles: { caller: {}, subscriber: {} } }])
  if (welcome[0] !== 2) throw new Error(`floor: expected WELCOME, got ${JSON.stringify(welcome)}`)

  // CALL frames, encoded once; each call only writes its request ID.
  let nextId = 0
  let sendCall: () => void
  if (binary) {
    const template = Buffer.from(encoder.encode([CALL, 0xffffffff, {}, PROCEDURE, PAYLOAD]))
    if (template[2] !== 0xce) throw new Error('floor: unexpected msgpack CALL layout')
    sendCall = () => {
      const frame = Buffer.allocUnsafe(template.length)
      template.copy(frame)
      frame.writeUInt32BE(++nextId, 3)
      ws.send(frame)
    }
  } else {
    const tail = `,{},${JSON.stringify(PROCEDURE)},${JSON.stringify(PAYLOAD)}]`
    sendCall = () => ws.send(`[${CALL},${++nextId}${tail}`)
  }

  // Results come back in order (one callee, answering in order), so waiting callbacks form a queue.
  const waiting: Array<() => void> = []
  let fail: (error: unknown) => void = () => {}
  const countResult = (frame: Buffer) => {
    if (!isType(frame, RESULT)) return fail(new Error(`floor: expected RESULT, got ${frame.toString('hex', 0, 16)}`))
    if (decodeAll) decode(frame)
    waiting.shift()?.()
  }

  const client: BenchClient = {
    protocol: ws.protocol,
    async echo() {
      ++nextId
      const result = await request([CALL, nextId, {}, PROCEDURE, PAYLOAD])
      if (result[0] !== RESULT || result[1] !== nextId) throw new Error(`floor: bad RESULT ${JSON.stringify(result)}`)
      onFrame = countResult
      return result[3]
    },
    call(done, onError) {
      fail = onError
      waiting.push(done)
      sendCall()
    },
    async subscribe(onEvent) {
      const subscribed = await request([SUBSCRIBE, ++nextId, {}, TOPIC])
      if (subscribed[0] !== SUBSCRIBED) throw new Error(`floor: expected SUBSCRIBED, got ${JSON.stringify(subscribed)}`)
      onFrame = (frame) => {
        const event = decode(frame) // the first one only, for the check
        if (event[0] !== EVENT) throw new Error(`floor: expected EVENT, got ${JSON.stringify(event)}`)
        onEvent(event[4])
        onFrame = (next) => {
          if (!isType(next, EVENT)) throw new Error(`floor: expected EVENT, got ${next.toString('hex', 0, 16)}`)
          onEvent(decodeAll ? decode(next)[4] : undefined)
        }
      }
    },
  }
  return client
}
