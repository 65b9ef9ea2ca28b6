import type { PublishOptions } from '../client/types.js'
import { InvalidArgumentError } from '../protocol/errors.js'
import type { Args, Kwargs } from '../protocol/messages.js'
import { callMeta, defined, isId, type MetaClient, type MetaReply } from './shared.js'

/**
 * When a testament is published: `destroyed` (the default) when the session ends for good,
 * `detached` when it is detached from its transport. Without session resumption the two coincide:
 * nexus and Crossbar.io publish both kinds when the connection drops, detached ones first.
 */
export type TestamentScope = 'destroyed' | 'detached'

export interface TestamentOptions {
  /**
   * Options of the publication (e.g. `eligible`, `exclude_authrole`, `retain`). nexus honours
   * `disclose_me` (the publisher is the router's meta session); Crossbar.io 26 refuses it with
   * `wamp.error.runtime_error` and ignores `acknowledge` and `exclude_me`.
   */
  publishOptions?: PublishOptions
  scope?: TestamentScope
}

/**
 * Asks the router to publish an event when this session goes away: when its connection drops,
 * and on nexus and Crossbar.io also when it leaves with GOODBYE or is killed.
 * Wraps `wamp.session.add_testament(topic, args, kwargs, publish_options=, scope=)`; all three
 * positional arguments are always sent (nexus refuses fewer with `wamp.error.invalid_argument`).
 *
 * Resolves with the testament's publication ID where the router gives one (Crossbar.io), else undefined.
 */
export async function addTestament(
  client: MetaClient,
  topic: string,
  args: Args = [],
  kwargs: Kwargs = {},
  options: TestamentOptions = {},
): Promise<number | undefined> {
  checkScope(options.scope)
  const reply = await callMeta(
    client,
    'wamp.session.add_testament',
    [topic, args, kwargs],
    defined({ publish_options: options.publishOptions, scope: options.scope }),
  )
  return optionalNumber(reply)
}

/**
 * Removes this session's testaments of one scope (default `destroyed`), so none is published.
 * Wraps `wamp.session.flush_testaments(scope=)`.
 *
 * Resolves with the number removed where the router reports it (Crossbar.io), else undefined (nexus).
 */
export async function flushTestaments(client: MetaClient, scope?: TestamentScope): Promise<number | undefined> {
  checkScope(scope)
  return optionalNumber(await callMeta(client, 'wamp.session.flush_testaments', [], defined({ scope })))
}

function checkScope(scope: unknown): void {
  if (scope !== undefined && scope !== 'destroyed' && scope !== 'detached') {
    throw new InvalidArgumentError(`the testament scope must be "destroyed" or "detached", not ${String(scope)}`)
  }
}

function optionalNumber(reply: MetaReply): number | undefined {
  const value = reply.args[0]
  return isId(value) ? value : undefined
}
