import { Wampy } from 'wampy'
import { CborSerializer } from 'wampy/CborSerializer.js'
import { JsonSerializer } from 'wampy/JsonSerializer.js'
import { MsgpackSerializer } from 'wampy/MsgpackSerializer.js'
import WebSocket from 'ws'
import { PAYLOAD, PROCEDURE, TOPIC } from '../workload.js'
import type { ConnectBench } from './types.js'

const payload = PAYLOAD as unknown[]

/** wampy 8 (ESM) in Node: `ws` 8 as its WebSocket class, msgpackr behind its MsgpackSerializer, cbor-x behind its CborSerializer. */
export const connectWampy: ConnectBench = async (url, realm, serialization) => {
  const serializer =
    serialization === 'cbor'
      ? new CborSerializer()
      : serialization === 'msgpack'
        ? new MsgpackSerializer()
        : new JsonSerializer()
  const wampy = new Wampy(url, {
    realm,
    ws: WebSocket as never,
    serializer,
    autoReconnect: false,
    debug: false,
  })
  await wampy.connect()
  // wampy falls back to JSON silently when the router refuses its serializer: check the socket.
  const socket = (wampy as unknown as { _ws: { protocol: string } })._ws
  return {
    protocol: socket.protocol,
    echo: async () => (await wampy.call(PROCEDURE, payload)).argsList,
    call(done, fail) {
      wampy.call(PROCEDURE, payload).then(done, fail)
    },
    async subscribe(onEvent) {
      await wampy.subscribe(TOPIC, (event) => onEvent(event.argsList))
    },
  }
}
