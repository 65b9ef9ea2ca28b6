import { InvalidArgumentError } from '../protocol/errors.js'
import { MessageType } from '../protocol/message-types.js'
import { type Args, type Dict, type Kwargs, withPayload } from '../protocol/messages.js'
import { publishOptionsProblem } from '../protocol/pubsub-options.js'
import { checkOptions, checkPayload, checkUri } from './payload.js'
import type { SessionPort } from './session-port.js'
import type { PublishOptions } from './types.js'

/** The publisher role: options pass through untouched; acknowledge only when asked. */
export class Publisher {
  constructor(private readonly port: SessionPort) {}

  /** Resolves with PUBLISHED's publication ID when `acknowledge` is set, else with undefined once sent. */
  async publish(
    topic: string,
    args?: Args | Uint8Array,
    kwargs?: Kwargs,
    options: PublishOptions = {},
  ): Promise<number | undefined> {
    const what = `publish to ${topic}`
    checkUri('publish', topic)
    checkPayload(what, args, kwargs, true)
    checkOptions(what, options)
    // The spec's rule for PUBLISH.Options, shared with our router (which calls it a violation).
    const problem = publishOptionsProblem(options)
    if (problem) throw new InvalidArgumentError(`${what}: ${problem}`)
    this.port.assertOpen(what)
    const message = withPayload([MessageType.PUBLISH, this.port.nextId(), options as Dict, topic], args, kwargs)
    if (options.acknowledge !== true) {
      this.port.send(message)
      return undefined
    }
    return this.port.request(message, what, { accept: (reply) => reply[2] as number })
  }
}
