import { stableKey } from '../connection/stable-key.js'
import type { SharedOptions } from './messages.js'

/** The key of a shared session: tabs share one only with the same router, realm, wire format and identity. */
export function sessionKey(options: SharedOptions): string {
  return stableKey([options.url, options.realm, options.serialization ?? 'json', options.authid])
}
