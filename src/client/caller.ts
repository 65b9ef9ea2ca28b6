import { ErrorUri } from '../protocol/error-uris.js'
import { CallTimeoutError, InvalidArgumentError, WampAbortError } from '../protocol/errors.js'
import { routerHasFeature } from '../protocol/features.js'
import { MessageType } from '../protocol/message-types.js'
import {
  type Args,
  type Dict,
  type ErrorMessage,
  type Kwargs,
  type ResultMessage,
  withPayload,
} from '../protocol/messages.js'
import { checkOptions, checkPayload, checkUri, payloadOf, rpcErrorOf } from './payload.js'
import type { PendingRequest } from './request-table.js'
import type { SessionPort } from './session-port.js'
import type { CallOptions, CancelMode, Result } from './types.js'

const cancelModes: readonly CancelMode[] = ['kill', 'killnowait', 'skip']

/** The caller role: CALL, progressive results, cancellation and the local call deadline. */
export class Caller {
  constructor(private readonly port: SessionPort) {}

  call(procedure: string, args?: Args, kwargs?: Kwargs, options: CallOptions = {}): Promise<Result> {
    const what = `call ${procedure}`
    let message: unknown[]
    const { signal, cancelMode = 'killnowait', onProgress, ...wampOptions } = options
    try {
      checkUri('call', procedure)
      checkPayload(what, args, kwargs)
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
      message = withPayload([MessageType.CALL, 0, wampOptions as Dict, procedure], args, kwargs)
    } catch (error) {
      return Promise.reject(error)
    }
    return new Promise((resolve, reject) => {
      const { port } = this
      const id = port.nextId()
      message[1] = id
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
              if (!settled && !cancelling && onProgress)
                notifyProgress(onProgress, payloadOf(resultArgs, resultKwargs, details), port)
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
          timer = setTimeout(() => {
            port.requests.delete(id)
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
        port.send(message)
      } catch (error) {
        port.requests.delete(id)
        settled = true
        reject(error)
        return
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      const timeout = wampOptions.timeout
      if (typeof timeout === 'number' && timeout > 0) {
        // The router enforces `timeout`; this local deadline only catches a router that never answers.
        timer = setTimeout(() => {
          this.sendCancel(id, 'killnowait')
          port.requests.delete(id)
          if (settle()) reject(new CallTimeoutError(['call timeout (no answer from the router)'], {}, { local: true }))
        }, timeout + port.responseTimeout)
      }
    })
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
