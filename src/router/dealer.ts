import { ErrorUri } from '../protocol/error-uris.js'
import { ProtocolViolationError, RPCError } from '../protocol/errors.js'
import type { RequestIds } from '../protocol/ids.js'
import { MessageType } from '../protocol/message-types.js'
import {
  type Args,
  type CallMessage,
  type CancelMessage,
  type Dict,
  type ErrorMessage,
  type Kwargs,
  type Payload,
  payloadDetails,
  type RegisterMessage,
  type UnregisterMessage,
  withPayload,
  type YieldMessage,
} from '../protocol/messages.js'
import { startTimer } from '../protocol/timer.js'
import { isValidUri } from '../protocol/uri.js'
import { type Call, CallTable } from './calls.js'
import { matchPolicy } from './matching.js'
import { DISCLOSE_DISALLOWED, errorReply, isReserved, type Peer } from './peer.js'
import { type Callee, invokePolicy, type Registration, Registrations } from './registrations.js'

/** A procedure the router answers itself (the meta API). Throw an RPCError to answer with ERROR. */
export type BuiltinProcedure = (
  caller: Peer,
  args: Args,
  kwargs: Kwargs,
) => { args?: Args; kwargs?: Kwargs } | undefined

const cancelModes: readonly unknown[] = ['kill', 'killnowait', 'skip']

/** The dealer of one realm: REGISTER, CALL → INVOCATION → YIELD/ERROR → RESULT/ERROR, CANCEL, timeouts. */
export class Dealer {
  /** The registrations (read and observed by the registration meta API). */
  readonly registrations: Registrations
  private readonly builtins = new Map<string, BuiltinProcedure>()
  private readonly calls = new CallTable()

  constructor(
    ids: RequestIds,
    private readonly allowDisclose: boolean,
  ) {
    this.registrations = new Registrations(ids)
  }

  /** Answers calls of `procedure` in the router (for `wamp.*` procedures). */
  provide(procedure: string, handler: BuiltinProcedure): void {
    this.builtins.set(procedure, handler)
  }

  register(peer: Peer, [, request, options, procedure]: RegisterMessage): void {
    const refuse = (uri: string, text: string) => peer.send(errorReply(MessageType.REGISTER, request, uri, text))
    const match = matchPolicy(options.match)
    const invoke = invokePolicy(options.invoke)
    if (!match || !invoke) {
      refuse(
        ErrorUri.invalidArgument,
        'match must be exact, prefix or wildcard; invoke single, roundrobin, random, first or last',
      )
      return
    }
    if (!isValidUri(procedure, match) || isReserved(procedure)) {
      refuse(ErrorUri.invalidUri, `${JSON.stringify(procedure)} is not a procedure a client may register`)
      return
    }
    const discloseCaller = options.disclose_caller === true
    if (discloseCaller && !this.allowDisclose) {
      refuse(DISCLOSE_DISALLOWED, 'this realm does not allow disclose_caller')
      return
    }
    const callee: Callee = { peer, discloseCaller, forwardTimeout: options.forward_timeout === true }
    const registration = this.registrations.add(procedure, match, invoke, callee)
    if (!registration) {
      refuse(ErrorUri.procedureAlreadyExists, `${procedure} is already registered`)
      return
    }
    peer.send([MessageType.REGISTERED, request, registration.id])
    if (registration.callees.length === 1) this.registrations.lifecycle?.created(peer, registration)
    this.registrations.lifecycle?.joined(peer, registration)
  }

  unregister(peer: Peer, [, request, id]: UnregisterMessage): void {
    if (this.registrations.remove(peer, id)) peer.send([MessageType.UNREGISTERED, request])
    else peer.send(errorReply(MessageType.UNREGISTER, request, ErrorUri.noSuchRegistration))
  }

  /**
   * Ends one callee's registration on the router's own initiative; false when it has none. A
   * callee that announced `registration_revocation` is told (UNREGISTERED with request 0).
   */
  revoke(peer: Peer, id: number, reason?: string): boolean {
    if (!this.registrations.remove(peer, id)) return false
    if (!peer.supports('callee', 'registration_revocation')) return true
    peer.send([MessageType.UNREGISTERED, 0, { registration: id, ...(reason === undefined ? {} : { reason }) }])
    return true
  }

  call(caller: Peer, message: CallMessage): void {
    const [, request, options, procedure, args, kwargs] = message
    const ongoing = this.calls.ofCaller(caller, request)
    if (ongoing) {
      this.continueCall(ongoing, options, args, kwargs)
      return
    }
    if (options.progress === true && !caller.supports('caller', 'progressive_call_invocations')) {
      throw new ProtocolViolationError(
        'CALL with progress: true, but the caller announced no progressive_call_invocations',
      )
    }
    const builtin = this.builtins.get(procedure)
    if (builtin) {
      this.callBuiltin(caller, request, builtin, Array.isArray(args) ? args : [], kwargs ?? {})
      return
    }
    const registration = this.registrations.lookup(procedure)
    const refusal = this.refusal(options, procedure, registration)
    if (refusal) {
      caller.send(errorReply(MessageType.CALL, request, ...refusal))
      return
    }
    const callee = this.registrations.pick(registration!)
    if (options.progress === true && !acceptsProgressiveInvocations(callee.peer)) {
      caller.send(
        errorReply(
          MessageType.CALL,
          request,
          ErrorUri.featureNotSupported,
          'the callee does not support progressive call invocations',
        ),
      )
      return
    }
    this.invoke(caller, request, options, procedure, registration!, callee, args, kwargs)
  }

  /** Why a CALL cannot go to a callee, if it cannot. */
  private refusal(
    options: Dict,
    procedure: string,
    registration: Registration | undefined,
  ): [string, string] | undefined {
    if (!isValidUri(procedure)) return [ErrorUri.invalidUri, `${JSON.stringify(procedure)} is not a valid procedure`]
    if (!registration) return [ErrorUri.noSuchProcedure, `no callee registered ${procedure}`]
    if (options.disclose_me === true && !this.allowDisclose)
      return [DISCLOSE_DISALLOWED, 'this realm does not allow disclose_me']
    const { timeout } = options
    if (timeout !== undefined && !(typeof timeout === 'number' && Number.isInteger(timeout) && timeout >= 0)) {
      return [ErrorUri.invalidArgument, 'timeout must be a whole number of milliseconds']
    }
    return undefined
  }

  /** Sends the first INVOCATION of a call and starts tracking it. */
  private invoke(
    caller: Peer,
    request: number,
    options: Dict,
    procedure: string,
    registration: Registration,
    callee: Callee,
    args?: Payload,
    kwargs?: Kwargs,
  ): void {
    const { peer } = callee
    const timeout = (options.timeout as number | undefined) ?? 0
    const details: Dict = {}
    if (registration.match !== 'exact') details.procedure = procedure
    if (options.disclose_me === true || callee.discloseCaller) {
      Object.assign(details, { caller: caller.id, caller_authid: caller.authid, caller_authrole: caller.authrole })
    }
    // Progressive results need call canceling too, to stop the stream when the caller leaves.
    const receiveProgress =
      options.receive_progress === true &&
      peer.supports('callee', 'call_canceling') &&
      peer.supports('callee', 'progressive_call_results')
    if (receiveProgress) details.receive_progress = true
    const forward = timeout > 0 && callee.forwardTimeout && peer.supports('callee', 'call_timeout')
    if (forward) details.timeout = timeout
    const progress = options.progress === true
    const call: Call = {
      caller,
      request,
      callee: peer,
      invocation: peer.nextRequestId(),
      registration: registration.id,
      details,
      receiveProgress,
      streaming: progress,
      timeout: forward ? 0 : timeout,
      killing: false,
    }
    const first = withPayload(
      [
        MessageType.INVOCATION,
        call.invocation,
        call.registration,
        { ...details, ...payloadDetails(options), ...(progress ? { progress } : {}) },
      ],
      args,
      kwargs,
    )
    if (!peer.send(first)) {
      const text = "the call's payload cannot be sent to the callee"
      caller.send(errorReply(MessageType.CALL, request, ErrorUri.invalidArgument, text))
      return
    }
    this.calls.add(call)
    this.arm(call)
  }

  /** A further chunk of a progressive call invocation: same INVOCATION request, details frozen. */
  private continueCall(call: Call, options: Dict, args?: Payload, kwargs?: Kwargs): void {
    if (!call.streaming) {
      throw new ProtocolViolationError(`CALL reuses request ${call.request}, a call still in progress`)
    }
    if (call.killing) return
    const progress = options.progress === true
    call.streaming = progress
    const details = { ...call.details, ...payloadDetails(options), ...(progress ? { progress: true } : {}) }
    call.callee.send(withPayload([MessageType.INVOCATION, call.invocation, call.registration, details], args, kwargs))
  }

  private callBuiltin(caller: Peer, request: number, builtin: BuiltinProcedure, args: Args, kwargs: Kwargs): void {
    let result: ReturnType<BuiltinProcedure>
    try {
      result = builtin(caller, args, kwargs)
    } catch (error) {
      const rpc = error instanceof RPCError ? error : new RPCError(ErrorUri.runtimeError, [String(error)])
      caller.send(withPayload([MessageType.ERROR, MessageType.CALL, request, {}, rpc.uri], rpc.args, rpc.kwargs))
      return
    }
    caller.send(withPayload([MessageType.RESULT, request, {}], result?.args, result?.kwargs))
  }

  yield(callee: Peer, [, invocation, options, args, kwargs]: YieldMessage): void {
    const call = this.calls.ofCallee(callee, invocation)
    // Unknown: a late answer to a call that was cancelled, timed out, or whose caller left.
    if (!call) return
    if (options.progress === true) {
      if (!call.receiveProgress || call.killing) return
      this.arm(call)
      call.caller.send(
        withPayload([MessageType.RESULT, call.request, { ...payloadDetails(options), progress: true }], args, kwargs),
      )
      return
    }
    this.finish(call)
    this.toCaller(call, withPayload([MessageType.RESULT, call.request, payloadDetails(options)], args, kwargs))
  }

  /** ERROR(INVOCATION) from a callee goes to the caller as ERROR(CALL). */
  calleeError(callee: Peer, [, , invocation, details, uri, args, kwargs]: ErrorMessage): void {
    const call = this.calls.ofCallee(callee, invocation)
    if (!call) return
    this.finish(call)
    this.toCaller(call, withPayload([MessageType.ERROR, MessageType.CALL, call.request, details, uri], args, kwargs))
  }

  cancel(caller: Peer, [, request, options]: CancelMessage): void {
    const mode = options.mode ?? 'killnowait'
    if (!cancelModes.includes(mode)) {
      caller.send(
        errorReply(MessageType.CANCEL, request, ErrorUri.invalidArgument, 'mode must be kill, killnowait or skip'),
      )
      return
    }
    const call = this.calls.ofCaller(caller, request)
    // Unknown or repeated CANCELs are ignored.
    if (!call || call.killing) return
    const effective = call.callee.supports('callee', 'call_canceling') ? mode : 'skip'
    if (effective === 'kill') {
      // The callee's ERROR or RESULT answers the caller.
      call.killing = true
      clearTimeout(call.timer)
      this.interrupt(call, 'kill', ErrorUri.canceled)
      return
    }
    this.finish(call)
    caller.send(errorReply(MessageType.CALL, request, ErrorUri.canceled))
    if (effective === 'killnowait') this.interrupt(call, 'killnowait', ErrorUri.canceled)
  }

  /** The session left: its callers get `canceled ["callee gone"]`, its callees an INTERRUPT. */
  leave(peer: Peer): void {
    for (const call of this.calls.servedBy(peer)) {
      this.finish(call)
      call.caller.send(errorReply(MessageType.CALL, call.request, ErrorUri.canceled, 'callee gone'))
    }
    for (const call of this.calls.madeBy(peer)) {
      this.finish(call)
      if (call.callee.supports('callee', 'call_canceling')) this.interrupt(call, 'killnowait', ErrorUri.canceled)
    }
    this.registrations.leave(peer)
  }

  /** (Re)starts the dealer-side timeout. */
  private arm(call: Call): void {
    if (call.timeout <= 0) return
    clearTimeout(call.timer)
    call.timer = startTimer(() => {
      this.finish(call)
      call.caller.send(errorReply(MessageType.CALL, call.request, ErrorUri.timeout, 'call timeout'))
      if (call.callee.supports('callee', 'call_canceling')) this.interrupt(call, 'killnowait', ErrorUri.timeout)
    }, call.timeout)
  }

  private interrupt(call: Call, mode: string, reason: string): void {
    call.callee.send([MessageType.INTERRUPT, call.invocation, { mode, reason }])
  }

  /** Sends to the caller; a result its serializer cannot carry becomes an ERROR instead of silence. */
  private toCaller(call: Call, message: unknown[]): void {
    if (call.caller.send(message) || message[0] === MessageType.ERROR) return
    const text = "the callee's answer cannot be sent to this caller"
    call.caller.send(errorReply(MessageType.CALL, call.request, ErrorUri.invalidArgument, text))
  }

  private finish(call: Call): void {
    clearTimeout(call.timer)
    this.calls.remove(call)
  }
}

/** Progressive invocations need call canceling too, to stop the stream when the caller leaves. */
function acceptsProgressiveInvocations(peer: Peer): boolean {
  return peer.supports('callee', 'progressive_call_invocations') && peer.supports('callee', 'call_canceling')
}
