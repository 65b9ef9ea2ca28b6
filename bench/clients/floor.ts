import { once } from 'node:events'
import { Decoder, Encoder } from '@msgpack/msgpack'
import { decode as decodeCbor, encode as encodeCbor } from 'cborg'
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
 * (`JSON.parse`, a reused @msgpack/msgpack Decoder, or cborg) and dropped — the least any WAMP client must do.
 */
export const connectDecodingFloor: ConnectBench = (url, realm, serialization) => floor(url, realm, serialization, true)

async function floor(url: string, realm: string, serialization: 'json' | 'msgpack' | 'cbor', decodeAll: boolean) {
  const codec = codecs[serialization]()
  const { encode, decode, isType } = codec

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
  if (codec.idOffset !== undefined) {
    const template = Buffer.from(encode([CALL, 0xffffffff, {}, PROCEDURE, PAYLOAD]) as Uint8Array)
    const offset = codec.idOffset
    if (template.readUInt32BE(offset) !== 0xffffffff) throw new Error(`floor: unexpected ${serialization} CALL layout`)
    sendCall = () => {
      const frame = Buffer.allocUnsafe(template.length)
      template.copy(frame)
      frame.writeUInt32BE(++nextId, offset)
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

interface FloorCodec {
  encode(message: unknown[]): string | Uint8Array
  decode(frame: Buffer): unknown[]
  /** True when the frame is a WAMP message of this type, read from its first bytes. */
  isType(frame: Buffer, type: number): boolean
  /** Binary formats: where a CALL's uint32 request ID sits, to patch it in a template. */
  idOffset?: number
}

const codecs: Record<'json' | 'msgpack' | 'cbor', () => FloorCodec> = {
  // `[type,…`
  json: () => ({
    encode: (message) => JSON.stringify(message),
    decode: (frame) => JSON.parse(frame.toString()) as unknown[],
    isType: (frame, type) => frame[1] === 48 + ((type / 10) | 0) && frame[2] === 48 + (type % 10) && frame[3] === 44,
  }),
  // fixarray, positive fixint type, then 0xce and the uint32 ID.
  msgpack: () => {
    const encoder = new Encoder()
    const decoder = new Decoder()
    return {
      encode: (message) => encoder.encode(message),
      decode: (frame) => decoder.decode(frame) as unknown[],
      isType: (frame, type) => frame[1] === type,
      idOffset: 3,
    }
  },
  // array head, 0x18 and the one-byte type (every type here is ≥ 24), then 0x1a and the uint32 ID.
  cbor: () => ({
    encode: (message) => encodeCbor(message),
    decode: (frame) => decodeCbor(frame) as unknown[],
    isType: (frame, type) => frame[1] === 0x18 && frame[2] === type,
    idOffset: 4,
  }),
}
