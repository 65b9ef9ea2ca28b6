/** The few parts of Autobahn|JS 22 (CommonJS, untyped) the bench uses. */
declare module 'autobahn' {
  export interface Session {
    call(procedure: string, args?: unknown[]): PromiseLike<unknown>
    subscribe(topic: string, handler: (args: unknown[]) => void): PromiseLike<unknown>
    /** The transport: its negotiated subprotocol and the serializer it picked for it. */
    _socket: { info: { protocol?: string }; serializer?: { SERIALIZER_ID: string } }
  }
  export interface Connection {
    onopen: (session: Session) => void
    onclose: (reason: string, details: unknown) => boolean
    open(): void
  }
  const autobahn: {
    Connection: new (options: Record<string, unknown>) => Connection
    serializer: {
      JSONSerializer: new () => unknown
      MsgpackSerializer: new () => unknown
      CBORSerializer: new () => unknown
    }
  }
  export default autobahn
}
