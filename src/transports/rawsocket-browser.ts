import { InvalidArgumentError } from '../protocol/errors.js'
import type { Transport } from './transport.js'

/** Browsers have no raw TCP: bundlers map the Node RawSocket transport to this (package.json `browser`). */
export function openRawSocket(url: string): Promise<Transport> {
  return Promise.reject(
    new InvalidArgumentError(
      `${url}: RawSocket (tcp://, tcps://, unix://) needs Node; in a browser use ws:// or wss://`,
    ),
  )
}
