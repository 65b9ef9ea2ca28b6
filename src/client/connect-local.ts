import { InvalidArgumentError } from '../protocol/errors.js'
import { loadSerializer } from '../serializers/index.js'
import { createLocalPair } from '../transports/local.js'
import type { Transport } from '../transports/transport.js'
import type { Client } from './client.js'
import { createClient } from './connect.js'
import type { ClientConfig } from './types.js'

/** What `connectLocal` needs of a router: the router of `react-wamp/router` fits. */
export interface LocalRouter {
  /** Runs a session over the router's side of a transport. */
  attach(transport: Transport): void
}

/**
 * Joins a realm of an in-process router (the seed's `ConnectLocal`): no socket, but every
 * message is encoded and decoded with `config.serialization` (JSON by default), delivered
 * asynchronously, and validated as it would be over a socket. So a test on the in-process
 * router sees exactly what a router on the wire would deliver: a Date arrives as its ISO string
 * over JSON (a Date over MsgPack), `undefined` members are dropped, `-0` arrives as 0, and a BigInt
 * is refused by JSON.
 *
 * @example
 * const router = createRouter({ realms: { realm1: {} } })
 * const client = await connectLocal(router, { realm: 'realm1' })
 */
export async function connectLocal(router: LocalRouter, config: ClientConfig): Promise<Client> {
  if (typeof router?.attach !== 'function') throw new InvalidArgumentError('connectLocal: router must be a router')
  if (typeof config !== 'object' || config === null) throw new InvalidArgumentError('connectLocal: config is required')
  const serializer = await loadSerializer(config.serialization ?? 'json')
  const [clientSide, routerSide] = createLocalPair(serializer)
  router.attach(routerSide)
  return createClient(clientSide, config)
}
