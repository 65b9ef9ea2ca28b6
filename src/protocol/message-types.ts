/** WAMP message type codes (Basic and Advanced Profile). */
export const MessageType = {
  HELLO: 1,
  WELCOME: 2,
  ABORT: 3,
  CHALLENGE: 4,
  AUTHENTICATE: 5,
  GOODBYE: 6,
  ERROR: 8,
  PUBLISH: 16,
  PUBLISHED: 17,
  SUBSCRIBE: 32,
  SUBSCRIBED: 33,
  UNSUBSCRIBE: 34,
  UNSUBSCRIBED: 35,
  EVENT: 36,
  CALL: 48,
  CANCEL: 49,
  RESULT: 50,
  REGISTER: 64,
  REGISTERED: 65,
  UNREGISTER: 66,
  UNREGISTERED: 67,
  INVOCATION: 68,
  INTERRUPT: 69,
  YIELD: 70,
  /** `[337, EVENT.Publication]`: a subscriber acknowledges an EVENT (provisional extension, Autobahn's `x_acknowledged_event_delivery`). */
  EVENT_RECEIVED: 337,
} as const

export type MessageCode = (typeof MessageType)[keyof typeof MessageType]

const names = new Map<number, string>(Object.entries(MessageType).map(([name, code]) => [code, name]))

/** The name of a message code, for logs and errors ("CALL", or "type 99"). */
export function messageName(code: unknown): string {
  if (typeof code === 'number') return names.get(code) ?? `type ${code}`
  return typeof code === 'string' ? `type "${code.slice(0, 40)}"` : `type ${typeof code}`
}
