import { InvalidArgumentError } from '../protocol/errors.js'
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
 * Joins a realm of an in-process router (the seed's `ConnectLocal`): no socket and no
 * serialization, but messages are still delivered asynchronously and copied, and the
 * client validates them as it would over a socket. `config.serialization` is ignored.
 *
 * @example
 * const router = createRouter({ realms: { realm1: {} } })
 * const client = await connectLocal(router, { realm: 'realm1' })
 */
export async function connectLocal(router: LocalRouter, config: ClientConfig): Promise<Client> {
  if (typeof router?.attach !== 'function') throw new InvalidArgumentError('connectLocal: router must be a router')
  if (typeof config !== 'object' || config === null) throw new InvalidArgumentError('connectLocal: config is required')
  const [clientSide, routerSide] = createLocalPair()
  router.attach(routerSide)
  return createClient(clientSide, config)
}
