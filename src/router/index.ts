/**
 * react-wamp/router: a small in-process WAMP router for embedding, tests and Storybook
 * demos. Not a production router: use nexus, Crossbar.io or Bondy there.
 * @packageDocumentation
 */
export { connectLocal } from '../client/connect-local.js'
export { createLocalPair } from '../transports/local.js'
export type { Authenticate, HelloInfo, Identity, RealmOptions, RouterLogger, RouterOptions } from './config.js'
export type { EventHistoryConfig } from './event-log.js'
export { createRouter, type Router } from './router.js'
export { listenWebSocket, type WebSocketListener, type WebSocketListenOptions } from './websocket-server.js'
