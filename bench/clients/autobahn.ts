import autobahn, { type Session } from 'autobahn'
import { PAYLOAD, PROCEDURE, TOPIC } from '../workload.js'
import type { ConnectBench } from './types.js'

const payload = PAYLOAD as unknown[]

/** A call result is the bare value for one positional result, else an autobahn.Result with `args`. */
function argsOf(result: unknown): unknown {
  return typeof result === 'object' && result !== null && 'args' in result ? result.args : [result]
}

/** Autobahn|JS 22.11 in Node (its own `ws` 7), with its default promise library. */
export const connectAutobahn: ConnectBench = async (url, realm, serialization) => {
  const serializers = autobahn.serializer
  const serializer =
    serialization === 'cbor'
      ? new serializers.CBORSerializer()
      : serialization === 'msgpack'
        ? new serializers.MsgpackSerializer()
        : new serializers.JSONSerializer()
  const connection = new autobahn.Connection({ url, realm, serializers: [serializer], max_retries: 0 })
  const session = await new Promise<Session>((resolve, reject) => {
    connection.onopen = resolve
    connection.onclose = (reason, details) => {
      reject(new Error(`Autobahn|JS connection closed: ${reason} ${JSON.stringify(details)}`))
      return true // no reconnection
    }
    connection.open()
  })
  const socket = session._socket
  if (socket.serializer?.SERIALIZER_ID !== serialization) {
    throw new Error(`Autobahn|JS picked serializer ${socket.serializer?.SERIALIZER_ID}, not ${serialization}`)
  }
  return {
    protocol: socket.info.protocol ?? '',
    echo: async () => argsOf(await session.call(PROCEDURE, payload)),
    call(done, fail) {
      session.call(PROCEDURE, payload).then(done, fail)
    },
    async subscribe(onEvent) {
      await session.subscribe(TOPIC, onEvent)
    },
  }
}
