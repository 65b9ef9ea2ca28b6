/**
 * The contract between the test suites and the real routers they run against.
 * Every launcher starts its router on free ports of 127.0.0.1 and returns one of these.
 */
export type RouterName = 'nexus' | 'crossbar' | 'local'

/** Fixed credentials that every router's `authrealm` knows. */
export const CREDENTIALS = {
  ticket: { authid: 'ticketuser', ticket: 'ticket-secret' },
  wampcra: { authid: 'crauser', secret: 'cra-secret' },
  /** salted WAMP-CRA: PBKDF2-SHA256(secret, salt, iterations, keylen) */
  wampcraSalted: { authid: 'saltuser', secret: 'salt-secret', salt: 'salt123', iterations: 1000, keylen: 32 },
  /** Ed25519 private key seed (32 bytes, hex); the routers know the matching public key. */
  cryptosign: {
    authid: 'cryptouser',
    seed: '4d57d97a68f555696620a6d849c0ce582568518d729eb753dc7c732de2804510',
    pubkey: '1adfc8bfe1d35616e64dffbd900096f23b066f914c8c2ffbb66f6075b96e116d',
  },
  /** Crossbar.io only: WAMP-SCRAM users (argon2id13 and pbkdf2 key derivation). */
  scramArgon: { authid: 'scramuser', password: 'scram-secret' },
  scramPbkdf2: { authid: 'scrampbkdf2', password: 'scram-secret' },
} as const

/** Optional extras a test can ask of its own router instance. */
export interface RouterOptions {
  /**
   * Adds TLS listeners (WebSocket and RawSocket) on 127.0.0.1 with this certificate: PEM text of
   * the server certificate (its chain may follow) and of its private key.
   */
  tls?: { cert: string; key: string }
}

export interface RunningRouter {
  name: RouterName
  /** WebSocket endpoint, e.g. ws://127.0.0.1:PORT/ws (offers wamp.2.json and wamp.2.msgpack). */
  wsUrl: string
  /** RawSocket over TCP, e.g. tcp://127.0.0.1:PORT (undefined where not offered). */
  tcpUrl?: string
  /** RawSocket over a unix socket, e.g. unix:///tmp/x/router.sock (undefined where not offered). */
  unixUrl?: string
  /** TLS WebSocket, e.g. wss://127.0.0.1:PORT/ws: only when started with `RouterOptions.tls`. */
  wssUrl?: string
  /** TLS RawSocket, e.g. tcps://127.0.0.1:PORT: only when started with `RouterOptions.tls`. */
  tcpsUrl?: string
  /** Anonymous realm: disclosure allowed, meta API incl. kill, event history on topics under `test.history.`. */
  realm: 'realm1'
  /** Anonymous realm where disclose_me is refused (`option_disallowed.disclose_me`). */
  noDiscloseRealm: 'realm2'
  /** Realm with ticket, wampcra (plain + salted), cryptosign (and scram on Crossbar.io). */
  authRealm: 'authrealm'
  /** Kill the router process (SIGKILL) without restarting it. */
  kill(): Promise<void>
  /** Start the router again on the same ports after kill(); resolves when it accepts connections. */
  restart(): Promise<void>
  /** Stop the router and remove its temporary files. Idempotent. */
  stop(): Promise<void>
}
