/**
 * The WAMP authentication methods. List them in `ClientConfig.auth` in order of preference;
 * the router picks the first one it supports for the authid.
 */
export type { AuthMethod, Challenge, ChallengeResponse } from './auth-method.js'
export { type CryptosignOptions, cryptosign } from './cryptosign.js'
export { type ScramOptions, scram } from './scram.js'
export { type TicketOptions, ticket } from './ticket.js'
export { type WampcraOptions, wampcra } from './wampcra.js'
