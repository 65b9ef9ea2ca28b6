import { ErrorUri } from '../protocol/error-uris.js'
import { CallTimeoutError, InvalidArgumentError, WampAbortError } from '../protocol/errors.js'
import { routerHasFeature } from '../protocol/features.js'
import { MessageType } from '../protocol/message-types.js'
import {
  type Args,
  type Dict,
  type ErrorMessage,
  type Kwargs,
  payloadDetails,
  type ResultMessage,
  withPayload,
} from '../protocol/messages.js'
import { checkOptions, checkPayload, checkUri, payloadOf, rpcErrorOf } from './payload.js'
import type { PendingRequest } from './request-table.js'
import type { SessionPort } from './session-port.js'
import { startTimer } from './timer.js'
import type { CallOptions, CancelMode, ProgressiveCall, Result } from './types.js'

const cancelModes: readonly CancelMode[] = ['kill', 'killnowait', 'skip']

/** A call's options, checked, split into what goes on the wire and what stays local. */
interface PreparedCall {
  procedure: string
  signal: AbortSignal | undefined
  cancelMode: CancelMode
  onProgress: ((result: Result) => void) | undefined
  wampOptions: Dict
}

/** The caller role: CALL, progressive results and invocations, cancellation, the local deadline. */
export class Caller {
  constructor(private readonly port: SessionPort) {}

  call(procedure: string, args?: Args | Uint8Array, kwargs?: Kwargs, options: CallOptions = {}): Promise<Result> {
    let prepared: PreparedCall
    try {
      prepared = this.prepare(procedure, options)
      checkPayload(`call ${procedure}`, args, kwargs, true)
    } catch (error) {
      return Promise.reject(error)
    }
    return this.begin(prepared, prepared.wampOptions, args, kwargs).result
  }

  /** A call whose input is sent in chunks (progressive call invocations). */
  stream(procedure: string, options: CallOptions = {}): ProgressiveCall {
    const prepared = this.prepare(procedure, options)
    let id: number | undefined
    let ended = false
    let settled = false
    let resolveResult!: (result: Promise<Result>) => void
    const result = new Promise<Result>((resolve) => {
      resolveResult = resolve
    }).finally(() => {
      settled = true
    })
    // The call can fail before end() (the callee refuses a chunk): its outcome reaches the user
    // through end() or `result`, never as an unhandled rejection.
    result.catch(() => {})
    const send = (args: Args | Uint8Array | undefined, kwargs: Kwargs | undefined, last: boolean) => {
      const what = `send input to ${procedure}`
      if (settled) throw new InvalidArgumentError(`${what}: the call has settled; its outcome is in \`result\``)
      if (ended) throw new InvalidArgumentError(`${what}: the call has ended`)
      checkPayload(what, args, kwargs, true)
      const chunkOptions: Dict = last ? {} : { progress: true }
      if (id === undefined) {
        if (!routerHasFeature(this.port.routerDetails, 'dealer', 'progressive_call_invocations')) {
          throw new InvalidArgumentError(
            `${what}: the router does not support progressive call invocations (dealer feature progressive_call_invocations)`,
          )
        }
        const started = this.begin(prepared, { ...prepared.wampOptions, ...chunkOptions }, args, kwargs)
        id = started.id
        resolveResult(started.result)
      } else {
        this.port.assertOpen(what)
        // Continuations reuse the request ID and carry only the progress flags (and, for a transparent
        // payload, the fields that describe it, as every CALL carrying one does).
        const flags: Dict = prepared.wampOptions.receive_progress
          ? { ...chunkOptions, receive_progress: true }
          : chunkOptions
        if (args instanceof Uint8Array) Object.assign(flags, payloadDetails(prepared.wampOptions))
        this.port.send(withPayload([MessageType.CALL, id, flags, procedure], args, kwargs))
      }
      if (last) ended = true
    }
    return {
      result,
      send: (args, kwargs) => send(args, kwargs, false),
      end: (args, kwargs) => {
        // Settled before the last chunk: end() reports how (the callee's RPCError, or its early result).
        if (settled) return result
        try {
          send(args, kwargs, true)
        } catch (error) {
          return Promise.reject(error)
        }
        return result
      },
    }
  }

  private prepare(procedure: string, options: CallOptions): PreparedCall {
    const what = `call ${procedure}`
    const { signal, cancelMode = 'killnowait', onProgress, ...wampOptions } = options
    checkUri('call', procedure)
    checkOptions(what, options)
    if (!cancelModes.includes(cancelMode)) {
      throw new InvalidArgumentError(`${what}: cancelMode must be "kill", "killnowait" or "skip"`)
    }
    if (onProgress !== undefined && typeof onProgress !== 'function') {
      throw new InvalidArgumentError(`${what}: onProgress must be a function`)
    }
    if (signal?.aborted) throw new WampAbortError(signal.reason, `the call to ${procedure}`)
    this.port.assertOpen(what)
    if (onProgress) wampOptions.receive_progress = true
    return { procedure, signal, cancelMode, onProgress, wampOptions }
  }

  /** Sends the first CALL and tracks the request until it settles. */
  private begin(
    call: PreparedCall,
    wireOptions: Dict,
    args: Args | Uint8Array | undefined,
    kwargs: Kwargs | undefined,
  ): { id: number; result: Promise<Result> } {
    const { port } = this
    const { procedure, signal, cancelMode, onProgress } = call
    const id = port.nextId()
    const result = new Promise<Result>((resolve, reject) => {
      let settled = false
      let cancelling = false
      let timer: ReturnType<typeof setTimeout> | undefined
      const abortError = () => new WampAbortError(signal?.reason, `the call to ${procedure}`)

      const settle = (): boolean => {
        if (settled) return false
        settled = true
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        return true
      }
      const request: PendingRequest = {
        type: MessageType.CALL,
        reply: (reply) => {
          if (reply[0] === MessageType.RESULT) {
            const [, , details, resultArgs, resultKwargs] = reply as ResultMessage
            if (details.progress === true) {
              if (!settled && !cancelling && onProgress) {
                notifyProgress(onProgress, payloadOf(resultArgs, resultKwargs, details), port)
              }
              return false
            }
            if (settle()) resolve(payloadOf(resultArgs, resultKwargs, details))
            return true
          }
          const error = rpcErrorOf(reply as ErrorMessage)
          if (settle()) reject(cancelling && error.uri === ErrorUri.canceled ? abortError() : error)
          return true
        },
        fail: (error) => {
          if (settle()) reject(error)
        },
      }
      const onAbort = () => {
        if (settled || cancelling) return
        const sent = this.sendCancel(id, cancelMode)
        if (cancelMode === 'kill' && sent) {
          // kill: the callee's ERROR or RESULT settles the call, within responseTimeout.
          cancelling = true
          clearTimeout(timer)
          timer = startTimer(() => {
            port.requests.expire(id)
            if (settle()) reject(abortError())
          }, port.responseTimeout)
          return
        }
        // The router's late ERROR (or RESULT) for this ID is then ignored as a reply to a settled request.
        port.requests.delete(id)
        if (settle()) reject(abortError())
      }

      port.requests.add(id, request)
      try {
        port.send(withPayload([MessageType.CALL, id, wireOptions, procedure], args, kwargs))
      } catch (error) {
        port.requests.delete(id)
        settled = true
        reject(error)
        return
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      const timeout = wireOptions.timeout
      if (typeof timeout === 'number' && timeout > 0) {
        // The router enforces `timeout`; this local deadline only catches a router that never answers.
        timer = startTimer(() => {
          this.sendCancel(id, 'killnowait')
          port.requests.expire(id)
          if (settle()) reject(new CallTimeoutError(['call timeout (no answer from the router)'], {}, { local: true }))
        }, timeout + port.responseTimeout)
      }
    })
    return { id, result }
  }

  /** Sends CANCEL when the router supports it; false when nothing was sent. */
  private sendCancel(id: number, mode: CancelMode): boolean {
    const { port } = this
    if (!port.isOpen() || !routerHasFeature(port.routerDetails, 'dealer', 'call_canceling')) return false
    try {
      port.send([MessageType.CANCEL, id, { mode }])
      return true
    } catch {
      return false
    }
  }
}

function notifyProgress(onProgress: (result: Result) => void, result: Result, port: SessionPort): void {
  try {
    onProgress(result)
  } catch (error) {
    port.logger.error('an onProgress callback threw', error)
  }
}
