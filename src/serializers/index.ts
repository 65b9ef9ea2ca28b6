import { jsonSerializer } from './json.js'
import type { SerializationName, Serializer } from './serializer.js'

export { jsonSerializer } from './json.js'
export type { SerializationName, Serializer } from './serializer.js'

/** Loads a serializer by name; MsgPack and CBOR are imported only by apps that ask for them. */
export async function loadSerializer(name: SerializationName | Serializer = 'json'): Promise<Serializer> {
  if (typeof name !== 'string') return name
  if (name === 'json') return jsonSerializer
  if (name === 'msgpack') return (await import('./msgpack.js')).msgpackSerializer
  if (name === 'cbor') return (await import('./cbor.js')).cborSerializer
  throw new TypeError(`unknown serialization "${String(name)}": use "json", "msgpack" or "cbor"`)
}
