/**
 * The timer helper, for client/ and connection/ (its implementation sits in protocol/ so that
 * transports and the router, which must not import the client, use the same one).
 */
export { MAX_DELAY, startTimer, timerDelay } from '../protocol/timer.js'
