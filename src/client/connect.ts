import { InvalidArgumentError } from '../protocol/errors.js'
import { loadSerializer } from '../serializers/index.js'
import type { Transport } from '../transports/transport.js'
import { openWebSocket } from '../transports/websocket.js'
import { Client } from './client.js'
import type { ClientConfig } from './types.js'

/**
 * Joins a realm over an existing transport (the seed's `NewClient`). Rejects, and closes the
 * transport, when the router refuses the session or does not answer within `responseTimeout`.
 */
export async function createClient(transport: Transport, config: ClientConfig): Promise<Client> {
  const client = new Client(transport, config)
  await client.join()
  return client
}

/**
 * Connects to a router and joins a realm. `url` is `ws://` or `wss://` (browsers and Node).
 *
 * @example
 * const client = await connect('ws://127.0.0.1:8080/ws', { realm: 'realm1' })
 * const { args } = await client.call('com.example.add', [1, 2])
 */
export async function connect(url: string, config: ClientConfig): Promise<Client> {
  if (typeof config !== 'object' || config === null) throw new InvalidArgumentError('connect: config is required')
  const scheme = /^([a-z]+):\/\//i.exec(url)?.[1]?.toLowerCase()
  const serializer = await loadSerializer(config.serialization ?? 'json')
  const openTimeout = config.responseTimeout ?? 5000
  let transport: Transport
  switch (scheme) {
    case 'ws':
    case 'wss':
      transport = await openWebSocket(url, {
        serializer,
        openTimeout,
        createWebSocket: config.createWebSocket,
        tls: config.tls,
      })
      break
    case 'tcp':
    case 'tcps':
    case 'unix': {
      const { openRawSocket } = await import('../transports/rawsocket.js')
      transport = await openRawSocket(url, {
        serializer,
        openTimeout,
        tls: config.tls,
        recvLimit: config.recvLimit,
      })
      break
    }
    default:
      throw new InvalidArgumentError(
        `connect: unsupported URL ${JSON.stringify(url)}: use ws://, wss://, tcp://, tcps:// or unix://`,
      )
  }
  return createClient(transport, config)
}
