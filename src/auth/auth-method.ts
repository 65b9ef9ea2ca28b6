import type { Dict } from '../protocol/messages.js'

/** A CHALLENGE from the router. */
export interface Challenge {
  /** The auth method the router chose, e.g. `wampcra`. */
  method: string
  extra: Dict
  /** The authid this client announced in HELLO, if any. */
  authid?: string
}

/** What the client answers with in AUTHENTICATE. */
export interface ChallengeResponse {
  signature: string
  extra?: Dict
}

/**
 * One authentication method; list them in `ClientConfig.auth` in order of preference.
 * Build them with `ticket()`, `wampcra()`, `cryptosign()` or `scram()`.
 */
export interface AuthMethod {
  /** The method's name in HELLO.authmethods, e.g. `ticket`. */
  readonly method: string
  /** Sent as HELLO.authid unless the config sets one. */
  readonly authid?: string
  /** Merged into HELLO.authextra (e.g. the cryptosign public key); may be computed asynchronously. */
  readonly authextra?: Dict | Promise<Dict>
  /** Answers the router's CHALLENGE. */
  respond(challenge: Challenge): ChallengeResponse | Promise<ChallengeResponse>
  /** Checks the router's final proof in WELCOME (SCRAM); throws to refuse the router. */
  verifyWelcome?(details: Dict): void | Promise<void>
}
