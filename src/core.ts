/**
 * react-wamp/client: the WAMP client core with no React — sessions, the resilient
 * connection, and the authentication methods.
 * @packageDocumentation
 */
export * from './auth/index.js'
export * from './client/index.js'
export * from './connection/index.js'
export * from './meta/index.js'
