import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureCrossbar } from '../../routers/crossbar/install.js'
import { LinePeer } from '../line-peer.js'

export type { PeerLine } from '../line-peer.js'

/** Autobahn|Python (peer.py, run by the Crossbar.io venv's Python) joined to a router, driven by JSON lines. */
export type AutobahnPythonPeer = LinePeer

const script = join(dirname(fileURLToPath(import.meta.url)), 'peer.py')

export const AutobahnPythonPeer = {
  /** Starts the peer and waits until it has joined `realm` on `url`. */
  async join(url: string, serialization: 'json' | 'msgpack' | 'cbor', realm = 'realm1'): Promise<AutobahnPythonPeer> {
    // Autobahn|Python is installed beside Crossbar.io, in the same venv.
    const python = join(dirname(await ensureCrossbar()), 'python')
    return LinePeer.start('Autobahn|Python peer', python, [
      script,
      '--url',
      url,
      '--realm',
      realm,
      '--serialization',
      serialization,
    ])
  },
}
