import { LinePeer } from '../line-peer.js'
import { ensureNexusPeer } from './install.js'

export type { PeerLine } from '../line-peer.js'

/** The nexus Go client (test/peers/nexus-client/main.go) joined to a router, driven by JSON lines. */
export type NexusPeer = LinePeer

export const NexusPeer = {
  /** Starts the peer and waits until it has joined `realm` on `url`. */
  async join(url: string, serialization: 'json' | 'msgpack' | 'cbor', realm = 'realm1'): Promise<NexusPeer> {
    const binary = await ensureNexusPeer()
    // A 2 s ResponseTimeout: a kill-mode cancel through a busy Crossbar.io can take most of a second.
    const args = ['-url', url, '-realm', realm, '-serialization', serialization, '-response-timeout', '2s']
    return LinePeer.start('nexus peer', binary, args)
  },
}
