/**
 * Typed helpers for the WAMP meta API: thin wrappers over `call` and `subscribe` that know the
 * URIs and argument shapes, and smooth over what nexus and Crossbar.io answer differently.
 * @packageDocumentation
 */
export * from './event-history.js'
export * from './registration-meta.js'
export * from './session-meta.js'
export { type IdsByMatch, type LookupOptions, type MetaClient, type MetaReply, MetaReplyError } from './shared.js'
export * from './subscription-meta.js'
export * from './testament.js'
