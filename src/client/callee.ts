import { ErrorUri } from '../protocol/error-uris.js'
import { InvalidArgumentError, RPCError, WampAbortError } from '../protocol/errors.js'
import { MessageType } from '../protocol/message-types.js'
import {
  type Args,
  type Dict,
  type InterruptMessage,
  type InvocationMessage,
  type Kwargs,
  withPayload,
} from '../protocol/messages.js'
import { isDict } from '../protocol/validate.js'
import { InputQueue } from './input-queue.js'
import { checkOptions, checkUri } from './payload.js'
import { RevocationListeners } from './revocation.js'
import type { SessionPort } from './session-port.js'
import { startTimer } from './timer.js'
import type {
  Invocation,
  InvocationHandler,
  InvocationInput,
  InvokeResult,
  RegisterOptions,
  Registration,
} from './types.js'

interface RegistrationRecord {
  id: number
  procedure: string
  handler: InvocationHandler
  revoked: RevocationListeners
}

/** An invocation whose handler is still running. */
interface ActiveInvocation {
  controller: AbortController
  timer?: ReturnType<typeof setTimeout>
  input: InputQueue
}

/** The callee role: REGISTER, INVOCATION → YIELD/ERROR, INTERRUPT. */
export class Callee {
  private readonly byId = new Map<number, RegistrationRecord>()
  private readonly byProcedure = new Map<string, RegistrationRecord>()
  private readonly active = new Map<number, ActiveInvocation>()

  constructor(private readonly port: SessionPort) {}

  get count(): number {
    return this.byId.size
  }

  get activeCount(): number {
    return this.active.size
  }

  async register(procedure: string, handler: InvocationHandler, options: RegisterOptions = {}): Promise<Registration> {
    const what = `register ${procedure}`
    checkOptions(what, options)
    checkUri('register', procedure, options.match)
    if (typeof handler !== 'function') throw new InvalidArgumentError(`${what}: the handler must be a function`)
    this.port.assertOpen(what)
    const message = [MessageType.REGISTER, this.port.nextId(), options as Dict, procedure]
    const record = await this.port.request(message, what, {
      // In place as soon as REGISTERED arrives: an INVOCATION may come in the same read.
      accept: (reply) => {
        const registered: RegistrationRecord = {
          id: reply[2] as number,
          procedure,
          handler,
          revoked: new RevocationListeners(),
        }
        this.byId.set(registered.id, registered)
        this.byProcedure.set(procedure, registered)
        return registered
      },
      late: (late) => this.undo(late[2] as number),
    })
    let active = true
    return {
      id: record.id,
      procedure,
      unregister: async () => {
        if (!active) return
        active = false
        await this.remove(record)
      },
      onRevoked: (listener) => record.revoked.add(listener),
    }
  }

  /** A REGISTERED that came after the request timed out: nobody wants it. */
  private undo(id: number): void {
    if (this.byId.has(id) || !this.port.isOpen()) return
    this.port.request([MessageType.UNREGISTER, this.port.nextId(), id], 'unregister').catch(() => {})
  }

  async unregisterProcedure(procedure: string): Promise<void> {
    const record = this.byProcedure.get(procedure)
    if (!record) throw new InvalidArgumentError(`unregister: ${procedure} is not registered by this client`)
    await this.remove(record)
  }

  private async remove(record: RegistrationRecord): Promise<void> {
    if (this.byId.get(record.id) !== record) return
    this.forget(record)
    if (!this.port.isOpen()) return
    await this.port.request([MessageType.UNREGISTER, this.port.nextId(), record.id], `unregister ${record.procedure}`)
  }

  private forget(record: RegistrationRecord): void {
    this.byId.delete(record.id)
    if (this.byProcedure.get(record.procedure) === record) this.byProcedure.delete(record.procedure)
  }

  registrationId(procedure: string): number | undefined {
    return this.byProcedure.get(procedure)?.id
  }

  onInvocation(message: InvocationMessage): void {
    const [, request, registrationId, details, payload, kwargs] = message
    // Autobahn's transparent payload arrives as `payload`, with args [] (see Result.payload).
    const args = payload instanceof Uint8Array ? undefined : payload
    const record = this.byId.get(registrationId)
    if (!record) {
      this.reply(
        [MessageType.ERROR, MessageType.INVOCATION, request, {}, ErrorUri.noSuchRegistration],
        [`this client has no handler for registration ${registrationId}`],
      )
      return
    }
    const running = this.active.get(request)
    if (running) {
      // Progressive call invocation: more input for the handler that is already running.
      if (running.input.complete)
        this.port.logger.warn(`ignoring an INVOCATION for request ${request}, whose input had ended`)
      else running.input.push(inputOf(args, kwargs, payload, details.progress !== true))
      return
    }
    const progressive = details.progress === true
    const state: ActiveInvocation = {
      controller: new AbortController(),
      input: new InputQueue(inputOf(args, kwargs, payload, !progressive)),
    }
    this.active.set(request, state)
    const timeout = details.timeout
    if (typeof timeout === 'number' && timeout > 0) {
      state.timer = startTimer(() => this.expire(request, state), timeout)
    }
    const invocation: Invocation = {
      args: args ?? [],
      kwargs: kwargs ?? {},
      ...(payload instanceof Uint8Array ? { payload } : {}),
      details,
      procedure: typeof details.procedure === 'string' ? details.procedure : record.procedure,
      signal: state.controller.signal,
      progress: (progressArgs, progressKwargs) => this.progress(request, state, details, progressArgs, progressKwargs),
      progressive,
      inputs: state.input,
    }
    let out: InvokeResult | Promise<InvokeResult>
    try {
      out = record.handler(invocation)
    } catch (error) {
      this.finish(request, state, { failed: error })
      return
    }
    if (out && typeof (out as Promise<InvokeResult>).then === 'function') {
      ;(out as Promise<InvokeResult>).then(
        (result) => this.finish(request, state, { result }),
        (error) => this.finish(request, state, { failed: error }),
      )
    } else {
      this.finish(request, state, { result: out as InvokeResult })
    }
  }

  private progress(request: number, state: ActiveInvocation, details: Dict, args?: unknown[], kwargs?: Dict): void {
    if (this.active.get(request) !== state) throw new InvalidArgumentError('progress: the invocation is over')
    if (state.controller.signal.aborted) throw new InvalidArgumentError('progress: the invocation was interrupted')
    if (details.receive_progress !== true) {
      throw new InvalidArgumentError('progress: the caller did not ask for progressive results')
    }
    this.port.assertOpen('send progress')
    this.port.send(withPayload([MessageType.YIELD, request, { progress: true }], args, kwargs))
  }

  /** The handler ended: YIELD its result or ERROR its exception, unless the invocation is over. */
  private finish(
    request: number,
    state: ActiveInvocation,
    outcome: { result: InvokeResult } | { failed: unknown },
  ): void {
    if (this.active.get(request) !== state) return
    this.active.delete(request)
    clearTimeout(state.timer)
    if (!this.port.isOpen()) return
    // A handler may throw anything, even undefined: what counts is that it threw.
    if ('failed' in outcome) {
      const { signal } = state.controller
      if (signal.aborted && outcome.failed === signal.reason) {
        this.reply([MessageType.ERROR, MessageType.INVOCATION, request, {}, ErrorUri.canceled])
      } else this.sendError(request, outcome.failed)
      return
    }
    const { result } = outcome
    if (result !== undefined && !isInvokeResult(result)) {
      this.sendError(
        request,
        new RPCError(ErrorUri.invalidArgument, [
          'the callee returned something other than { args?, kwargs? } or { payload, options? }',
        ]),
      )
      return
    }
    try {
      const message = result?.payload
        ? [MessageType.YIELD, request, result.options ?? {}, result.payload]
        : withPayload([MessageType.YIELD, request, {}], result?.args, result?.kwargs)
      this.port.send(message)
    } catch (sendError) {
      this.port.logger.error('a callee result could not be sent', sendError)
      this.sendError(
        request,
        new RPCError(ErrorUri.invalidArgument, [
          `the callee's result could not be serialized: ${(sendError as Error).message}`,
        ]),
      )
    }
  }

  private sendError(request: number, error: unknown): void {
    const rpc =
      error instanceof RPCError
        ? error
        : new RPCError(ErrorUri.runtimeError, [error instanceof Error ? error.message : describeThrown(error)])
    if (!(error instanceof RPCError)) this.port.logger.error('a callee handler threw', error)
    this.reply([MessageType.ERROR, MessageType.INVOCATION, request, rpc.details, rpc.uri], rpc.args, rpc.kwargs)
  }

  private reply(message: unknown[], args?: unknown[], kwargs?: Dict): void {
    try {
      this.port.send(withPayload([...message], args, kwargs))
    } catch (error) {
      // Unserializable error payload: send the bare error URI.
      try {
        this.port.send(message)
      } catch {
        this.port.logger.error('could not answer an invocation', error)
      }
    }
  }

  /**
   * The dealer interrupts a call: abort the handler's signal and let the handler have the last
   * word, as the nexus client does. What it settles with is sent (see `finish`): in `kill` mode
   * the dealer forwards it to the caller; in `killnowait` it drops it.
   */
  onInterrupt(message: InterruptMessage): void {
    const [, request, options] = message
    const state = this.active.get(request)
    if (!state || state.controller.signal.aborted) return
    clearTimeout(state.timer)
    const reason = typeof options.reason === 'string' ? options.reason : ErrorUri.canceled
    const error = new WampAbortError(reason, `the invocation (interrupted by the router: ${reason})`)
    state.controller.abort(error)
    state.input.fail(error)
  }

  /** `details.timeout` passed: abort the handler and tell the caller. */
  private expire(request: number, state: ActiveInvocation): void {
    if (this.active.get(request) !== state) return
    this.active.delete(request)
    const error = new WampAbortError(ErrorUri.timeout, 'the invocation (timed out)')
    state.controller.abort(error)
    state.input.fail(error)
    this.reply([MessageType.ERROR, MessageType.INVOCATION, request, {}, ErrorUri.timeout])
  }

  /** The router ended a registration on its own (UNREGISTERED with request 0). */
  onRevoked(details: Dict): void {
    const record = this.byId.get(details.registration as number)
    if (!record) return
    this.forget(record)
    record.revoked.fire(details, (error) =>
      this.port.logger.error(`a revocation listener of ${record.procedure} threw`, error),
    )
  }

  /** The session is over: abort running handlers, forget registrations. */
  end(reason: Error): void {
    for (const state of this.active.values()) {
      clearTimeout(state.timer)
      state.controller.abort(reason)
      state.input.fail(reason)
    }
    this.active.clear()
    this.byId.clear()
    this.byProcedure.clear()
  }
}

function isInvokeResult(
  value: unknown,
): value is { args?: unknown[]; kwargs?: Dict; payload?: Uint8Array; options?: Dict } {
  if (!isDict(value)) return false
  const { args, kwargs, payload, options } = value as Record<string, unknown>
  // A transparent payload stands alone (no args or kwargs), with optional YIELD options.
  if (payload !== undefined) {
    return payload instanceof Uint8Array && args == null && kwargs == null && (options == null || isDict(options))
  }
  return (args == null || Array.isArray(args)) && (kwargs == null || isDict(kwargs))
}

/** A thrown value that is not an Error, as text for the caller (never throws itself). */
function describeThrown(value: unknown): string {
  if (value === undefined || value === null) return `the handler threw ${value}`
  try {
    return String(value)
  } catch {
    return 'the handler threw a value that cannot be shown'
  }
}

/** One chunk of a callee's input, with a transparent payload where the CALL carried one. */
function inputOf(
  args: Args | undefined,
  kwargs: Kwargs | undefined,
  payload: unknown,
  final: boolean,
): InvocationInput {
  const input: InvocationInput = { args: args ?? [], kwargs: kwargs ?? {}, final }
  if (payload instanceof Uint8Array) input.payload = payload
  return input
}
