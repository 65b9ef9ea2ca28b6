import { useCallback } from 'react'
import type { Args, Kwargs, PublishOptions } from '../client/types.js'
import { useConnection } from './context.js'
import { useLatest } from './use-latest.js'

/** Publishes to `topic`; rejects when the session is not open (nothing is queued). */
export type PublishFunction = (args?: Args, kwargs?: Kwargs, options?: PublishOptions) => Promise<number | undefined>

/**
 * A stable function that publishes to `topic` on the current session.
 *
 * @example
 * const publish = usePublish('com.example.chat', { acknowledge: true })
 * await publish(['hello'])
 */
export function usePublish(topic: string, options?: PublishOptions): PublishFunction {
  const connection = useConnection()
  const latest = useLatest(options)
  return useCallback(
    (args, kwargs, extra) => connection.publish(topic, args, kwargs, { ...latest.current, ...extra }),
    [connection, topic, latest],
  )
}
