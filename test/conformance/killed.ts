import { expect } from 'vitest'
import type { Client, CloseInfo } from '../../src/client/index.js'
import type { RouterName } from '../routers/types.js'

/**
 * Runs a scenario whose `victim` the router kills, and returns how the victim closed (by the router's
 * GOODBYE) with the scenario's outcome. nexus 3.3 queues the GOODBYE of a killed session and then
 * closes its connection, discarding what is still queued (websocketPeer.Close, rawSocketPeer.Close):
 * now and then only the transport's close arrives. So on nexus the scenario runs up to three times,
 * and one run must bring the GOODBYE; elsewhere once.
 */
export async function killedByRouter<T>(
  router: RouterName,
  scenario: () => Promise<{ victim: Client; outcome: () => Promise<T> }>,
): Promise<{ closed: CloseInfo; outcome: T }> {
  const attempts = router === 'nexus' ? 3 : 1
  for (let attempt = 1; ; attempt++) {
    const { victim, outcome } = await scenario()
    const closed = await victim.closed
    if (closed.initiator === 'router' || attempt === attempts) {
      expect(closed.initiator).toBe('router')
      return { closed, outcome: await outcome() }
    }
    expect(closed).toMatchObject({ initiator: 'transport', reason: 'wamp.close.transport_lost' })
    await outcome().catch(() => {})
  }
}
