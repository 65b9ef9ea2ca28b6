/**
 * react-wamp: a complete WAMP client with a thin React layer.
 * The client core alone is `react-wamp/client`; the in-process router is `react-wamp/router`.
 * @packageDocumentation
 */
export * from './core.js'
export * from './react/index.js'
