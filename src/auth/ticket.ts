import type { AuthMethod } from './auth-method.js'

export interface TicketOptions {
  /** HELLO.authid (routers need it to look the ticket up). */
  authid?: string
}

/**
 * WAMP-Ticket: the signature is the ticket itself, sent in clear text, so use it over TLS only.
 * Pass a function to fetch a fresh ticket (e.g. a short-lived token) for every join.
 */
export function ticket(ticket: string | (() => string | Promise<string>), options: TicketOptions = {}): AuthMethod {
  if (typeof ticket !== 'string' && typeof ticket !== 'function') {
    throw new TypeError('ticket() needs the ticket string or a function that returns it')
  }
  return {
    method: 'ticket',
    authid: options.authid,
    async respond() {
      const value = typeof ticket === 'function' ? await ticket() : ticket
      if (typeof value !== 'string') throw new TypeError('the ticket function did not return a string')
      return { signature: value }
    },
  }
}
