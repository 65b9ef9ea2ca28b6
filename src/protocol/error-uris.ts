/** Error and close reason URIs of the WAMP Basic and Advanced Profile. */
export const ErrorUri = {
  invalidUri: 'wamp.error.invalid_uri',
  noSuchProcedure: 'wamp.error.no_such_procedure',
  procedureAlreadyExists: 'wamp.error.procedure_already_exists',
  noSuchRegistration: 'wamp.error.no_such_registration',
  noSuchSubscription: 'wamp.error.no_such_subscription',
  invalidArgument: 'wamp.error.invalid_argument',
  canceled: 'wamp.error.canceled',
  timeout: 'wamp.error.timeout',
  runtimeError: 'wamp.error.runtime_error',
  protocolViolation: 'wamp.error.protocol_violation',
  notAuthorized: 'wamp.error.not_authorized',
  authenticationFailed: 'wamp.error.authentication_failed',
  noSuchRealm: 'wamp.error.no_such_realm',
  noSuchRole: 'wamp.error.no_such_role',
  payloadSizeExceeded: 'wamp.error.payload_size_exceeded',
  featureNotSupported: 'wamp.error.feature_not_supported',
} as const

/** Close reasons sent with GOODBYE and ABORT. */
export const CloseReason = {
  closeRealm: 'wamp.close.close_realm',
  goodbyeAndOut: 'wamp.close.goodbye_and_out',
  systemShutdown: 'wamp.close.system_shutdown',
  killed: 'wamp.close.killed',
  /** Not a WAMP URI sent on the wire: the session ended because the transport closed. */
  transportLost: 'wamp.close.transport_lost',
} as const
