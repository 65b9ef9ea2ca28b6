import { MessageType, messageName } from '../protocol/message-types.js'

/** One line for the debug log; AUTHENTICATE signatures are redacted. */
export function describeMessage(message: unknown): string {
  if (!Array.isArray(message)) return `a ${typeof message} that is not a WAMP message`
  const shown = message[0] === MessageType.AUTHENTICATE ? [message[0], '<redacted>', ...message.slice(2)] : message
  let text: string
  try {
    text = JSON.stringify(shown, (_key, value: unknown) => {
      if (value instanceof Uint8Array) return `<${value.length} bytes>`
      return typeof value === 'bigint' ? `${value}n` : value
    })
  } catch {
    text = '<unprintable>'
  }
  return `${messageName(message[0])} ${text.length > 2000 ? `${text.slice(0, 2000)}…` : text}`
}
