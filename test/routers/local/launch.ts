/**
 * The local router (src/router) as a test router (see ../types.ts for the contract): the realms every
 * test router has, served over WebSocket on a free port of 127.0.0.1. No RawSocket (tcpUrl/unixUrl
 * are undefined). Set WAMP_ROUTER_LOG=1 to see what the router reports.
 */
import { createRouter, listenWebSocket, type Router, type WebSocketListener } from '../../../src/router/index.js'
import type { RunningRouter } from '../types.js'
import { authenticate } from './authenticate.js'

const logger = {
  warn: (message: string, ...data: unknown[]) => process.env.WAMP_ROUTER_LOG && console.warn(message, ...data),
}

/** A router with the test realms: realm1 (anonymous, disclosure allowed), realm2 (no disclosure), authrealm. */
export function createTestRouter(): Router {
  return createRouter({
    logger,
    realms: {
      realm1: {
        allowDisclose: true,
        // As nexus and Crossbar.io are configured (test/routers/nexus/main.go, crossbar/config.json).
        eventHistory: [
          { topic: 'test.history.', match: 'prefix', limit: 1000 },
          { topic: 'test.history.gapfree', limit: 1000 },
          { topic: 'test.history.gapshort', limit: 5 },
        ],
      },
      realm2: { allowDisclose: false },
      authrealm: { allowDisclose: true, authenticate },
    },
  })
}

/** Starts the local router on a free WebSocket port of 127.0.0.1. */
export async function startLocal(): Promise<RunningRouter> {
  const router = createTestRouter()
  let listener: WebSocketListener | undefined = await listenWebSocket(router)
  const { port, url } = listener
  let stopped = false

  const kill = async () => {
    const running = listener
    listener = undefined
    // Drops every connection at once: the sessions end as if the process had died.
    await running?.close()
  }

  return {
    name: 'local',
    wsUrl: url,
    realm: 'realm1',
    noDiscloseRealm: 'realm2',
    authRealm: 'authrealm',
    kill,
    async restart() {
      if (stopped) throw new Error('the local test router was stopped')
      await kill()
      listener = await listenWebSocket(router, { port })
    },
    async stop() {
      if (stopped) return
      stopped = true
      await router.close()
      await kill()
    },
  }
}
