import { MessageType, messageName } from '../protocol/message-types.js'

/** Index of the URI or reason a message names (topic, procedure, realm, error), by type. */
const uriAt: Record<number, number> = {
  [MessageType.HELLO]: 1,
  [MessageType.ABORT]: 2,
  [MessageType.CHALLENGE]: 1,
  [MessageType.GOODBYE]: 2,
  [MessageType.ERROR]: 4,
  [MessageType.PUBLISH]: 3,
  [MessageType.SUBSCRIBE]: 3,
  [MessageType.CALL]: 3,
  [MessageType.REGISTER]: 3,
}

/** Types whose second element is a request ID. */
const requestAt1 = new Set<number>([
  MessageType.PUBLISH,
  MessageType.PUBLISHED,
  MessageType.SUBSCRIBE,
  MessageType.SUBSCRIBED,
  MessageType.UNSUBSCRIBE,
  MessageType.UNSUBSCRIBED,
  MessageType.CALL,
  MessageType.CANCEL,
  MessageType.RESULT,
  MessageType.REGISTER,
  MessageType.REGISTERED,
  MessageType.UNREGISTER,
  MessageType.UNREGISTERED,
  MessageType.INVOCATION,
  MessageType.INTERRUPT,
  MessageType.YIELD,
])

/** One short line naming what a message is about: its request, URI, subscription or registration. */
export function summarizeMessage(message: unknown): string {
  if (!Array.isArray(message)) return `not a WAMP message (${typeof message})`
  const type = message[0] as number
  const parts: string[] = []
  if (type === MessageType.ERROR) parts.push(`to ${messageName(message[1])}`, `#${message[2]}`)
  if (requestAt1.has(type)) parts.push(`#${message[1]}`)
  if (type === MessageType.EVENT) parts.push(`subscription ${message[1]}`)
  if (type === MessageType.INVOCATION) parts.push(`registration ${message[2]}`)
  if (type === MessageType.WELCOME) parts.push(`session ${message[1]}`)
  const at = uriAt[type]
  if (at !== undefined && typeof message[at] === 'string') parts.push(message[at] as string)
  if ((type === MessageType.RESULT || type === MessageType.YIELD) && isProgress(message[2])) parts.push('(progress)')
  return parts.join(' ')
}

function isProgress(details: unknown): boolean {
  return typeof details === 'object' && details !== null && (details as { progress?: unknown }).progress === true
}

const encoder = new TextEncoder()

/**
 * About how many bytes the message takes as JSON: the devtools see messages before encoding
 * (sent) and after decoding (received), so this is an estimate, exact for JSON text.
 */
export function messageSize(message: unknown): number {
  let binary = 0
  try {
    const text = JSON.stringify(message, (_key, value: unknown) => {
      if (!(value instanceof Uint8Array)) return typeof value === 'bigint' ? String(value) : value
      // JSON carries bytes as "\0" + base64 (WAMP's rule).
      binary += Math.ceil(value.length / 3) * 4 + 1
      return ''
    })
    return text === undefined ? 0 : encoder.encode(text).length + binary
  } catch {
    return 0
  }
}
