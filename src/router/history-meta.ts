import { ErrorUri } from '../protocol/error-uris.js'
import { RPCError } from '../protocol/errors.js'
import type { Kwargs } from '../protocol/messages.js'
import type { Broker } from './broker.js'
import type { Dealer } from './dealer.js'

/**
 * `wamp.subscription.get_events(subscription, limit=, reverse=, topic=)`: the stored events of a
 * subscription with history, oldest first, and `{is_limit_reached}`. A subscription without
 * history is answered with `wamp.error.history_unavailable` (as Crossbar.io does; nexus answers
 * an empty list, which cannot be told from "nothing published yet").
 */
export function provideEventHistory(dealer: Dealer, broker: Broker): void {
  dealer.provide('wamp.subscription.get_events', (_caller, args, kwargs) => {
    const id = args[0]
    if (typeof id !== 'number') throw invalid('the first argument must be a subscription ID')
    const log = broker.historyOf(id)
    if (log === 'no_such_subscription') {
      throw new RPCError(ErrorUri.noSuchSubscription, [`no subscription ${id}`])
    }
    if (log === 'history_unavailable') {
      throw new RPCError('wamp.error.history_unavailable', [`subscription ${id} keeps no history`])
    }
    return log.read(readOptions(kwargs))
  })
}

function readOptions(kwargs: Kwargs): { limit?: number; reverse?: boolean; topic?: string } {
  const { limit, reverse, topic } = kwargs
  if (limit !== undefined && !(Number.isSafeInteger(limit) && (limit as number) >= 1)) {
    throw invalid('limit must be a positive integer')
  }
  if (reverse !== undefined && typeof reverse !== 'boolean') throw invalid('reverse must be a boolean')
  if (topic !== undefined && typeof topic !== 'string') throw invalid('topic must be a string')
  return {
    ...(limit === undefined ? {} : { limit: limit as number }),
    ...(reverse === undefined ? {} : { reverse }),
    ...(topic === undefined ? {} : { topic }),
  }
}

function invalid(message: string): RPCError {
  return new RPCError(ErrorUri.invalidArgument, [message])
}
