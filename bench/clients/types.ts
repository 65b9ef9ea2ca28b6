import type { Serialization } from '../workload.js'

/** The same small surface over every measured client; the worker drives only this. */
export interface BenchClient {
  /** The WebSocket subprotocol the router accepted, e.g. `wamp.2.msgpack`. */
  readonly protocol: string
  /** One bench.echo call, fully decoded: resolves with the result's positional arguments (a check, not timed). */
  echo(): Promise<unknown>
  /** Sends one bench.echo CALL; `done` runs once its RESULT arrived. The timed path. */
  call(done: () => void, fail: (error: unknown) => void): void
  /**
   * Subscribes to bench.events; `onEvent` runs once per EVENT, with its positional arguments where
   * the client decoded them (the floor decodes only the first one, for the check).
   */
  subscribe(onEvent: (args: unknown) => void): Promise<void>
}

export type ConnectBench = (url: string, realm: string, serialization: Serialization) => Promise<BenchClient>
