import { createRequire } from 'node:module'

/** The parts of Autobahn|JS (untyped CommonJS) the interop tests use. */
export interface AutobahnSession {
  id: number
  call(procedure: string, args?: unknown[], kwargs?: object, options?: object): Promise<unknown>
  register(
    procedure: string,
    endpoint: (args: unknown[], kwargs: Record<string, unknown>, details: unknown) => unknown,
    options?: object,
  ): Promise<unknown>
  subscribe(
    topic: string,
    handler: (args: unknown[], kwargs: Record<string, unknown>, details: Record<string, unknown>) => void,
    options?: object,
  ): Promise<unknown>
  publish(topic: string, args?: unknown[], kwargs?: object, options?: object): Promise<unknown> | undefined
}

interface AutobahnModule {
  Connection: new (
    options: Record<string, unknown>,
  ) => {
    onopen: (session: AutobahnSession) => void
    onclose: (reason: string, details: unknown) => boolean
    open(): void
    close(): void
  }
  Result: new (args?: unknown[], kwargs?: object) => { args: unknown[]; kwargs: Record<string, unknown> }
  Error: new (uri: string, args?: unknown[], kwargs?: object) => Error
  serializer: {
    JSONSerializer: new () => unknown
    MsgpackSerializer: new () => unknown
    CBORSerializer: new () => unknown
  }
}

export const autobahn = createRequire(import.meta.url)('autobahn') as AutobahnModule

/** What Autobahn|JS reports when a handler throws (without it, it prints to console.error). */
export type AutobahnUserError = (error: unknown, message: string) => void

/** Opens an Autobahn|JS session; `close()` ends it without retrying. */
export function openAutobahn(
  url: string,
  realm: string,
  serialization: 'json' | 'msgpack' | 'cbor' = 'json',
  onUserError?: AutobahnUserError,
): Promise<{ session: AutobahnSession; close(): void }> {
  const serializers = autobahn.serializer
  const serializer =
    serialization === 'cbor'
      ? new serializers.CBORSerializer()
      : serialization === 'msgpack'
        ? new serializers.MsgpackSerializer()
        : new serializers.JSONSerializer()
  const connection = new autobahn.Connection({
    url,
    realm,
    max_retries: 0,
    serializers: [serializer],
    on_user_error: onUserError,
  })
  return new Promise((resolve, reject) => {
    let opened = false
    connection.onopen = (session) => {
      opened = true
      resolve({ session, close: () => connection.close() })
    }
    connection.onclose = (reason, details) => {
      if (!opened)
        reject(new Error(`Autobahn|JS could not join ${realm} at ${url}: ${reason} ${JSON.stringify(details)}`))
      return true
    }
    connection.open()
  })
}
