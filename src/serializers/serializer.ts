/** Encodes WAMP messages for one wire format. */
export interface Serializer {
  /** `json`, `msgpack` or `cbor`. */
  readonly name: SerializationName
  /** The WebSocket subprotocol, e.g. `wamp.2.json`. */
  readonly subprotocol: string
  /** The RawSocket serializer code (1 JSON, 2 MsgPack, 3 CBOR). */
  readonly rawSocketCode: number
  /** True when frames are binary (WebSocket binary frames). */
  readonly binary: boolean
  /** Throws SerializationError naming the offending value when the message cannot be encoded. */
  encode(message: readonly unknown[]): string | Uint8Array
  /** Throws when the data is not a valid encoding. */
  decode(data: string | Uint8Array): unknown
}

export type SerializationName = 'json' | 'msgpack' | 'cbor'
