import WebSocket from 'ws'
import { connect, type WebSocketLike } from '../../src/client/index.js'
import { PAYLOAD, PROCEDURE, TOPIC } from '../workload.js'
import type { ConnectBench } from './types.js'

const payload = PAYLOAD as unknown[]

/** react-wamp, as an application would use it. */
export const connectOurs: ConnectBench = async (url, realm, serialization) => {
  let socket: WebSocketLike | undefined
  const client = await connect(url, {
    realm,
    serialization,
    // The same `ws` the default factory (isomorphic-ws) picks in Node; kept to read the negotiated subprotocol.
    createWebSocket: (address, protocols) => {
      socket = new WebSocket(address, protocols) as unknown as WebSocketLike
      return socket
    },
  })
  return {
    protocol: socket?.protocol ?? '',
    echo: async () => (await client.call(PROCEDURE, payload)).args,
    call(done, fail) {
      client.call(PROCEDURE, payload).then(done, fail)
    },
    async subscribe(onEvent) {
      await client.subscribe(TOPIC, (event) => onEvent(event.args))
    },
  }
}
