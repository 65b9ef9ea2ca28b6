import { SerializationError } from '../protocol/errors.js'
import type { Serializer } from '../serializers/serializer.js'
import type { TransportReceiver } from './transport.js'

/** Decodes one frame and hands the message, or the reason it is undecodable, to the receiver. */
export function deliverFrame(
  serializer: Serializer,
  receiver: TransportReceiver | undefined,
  frame: string | Uint8Array,
): void {
  if (!receiver) return
  let message: unknown
  try {
    message = serializer.decode(frame)
  } catch (error) {
    receiver.error(new SerializationError(`undecodable ${serializer.name} frame: ${(error as Error).message}`))
    return
  }
  receiver.message(message)
}
