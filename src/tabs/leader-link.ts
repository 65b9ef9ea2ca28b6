import { defaultLogger, type Logger } from '../client/logger.js'
import type { HubOptions } from './hub.js'
import type { HubLink } from './link.js'
import type { TabPort } from './port.js'
import { holdTabLock, lockManager, watchTab } from './tab-lock.js'

/**
 * What travels on the BroadcastChannel: a protocol message addressed to one tab or to the hub
 * (`to`, `from`), or the leader's announcement (`up`) and a newcomer's question (`who`).
 */
type Envelope = { kind: 'msg'; to: string; from: string; body: unknown } | { kind: 'up'; hub: string } | { kind: 'who' }

function readEnvelope(value: unknown): Envelope | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const v = value as Record<string, unknown>
  if (v.kind === 'msg' && typeof v.to === 'string' && typeof v.from === 'string') return v as Envelope
  if (v.kind === 'up' && typeof v.hub === 'string') return v as Envelope
  if (v.kind === 'who') return v as Envelope
  return undefined
}

/** The part of BroadcastChannel used here. */
interface ChannelLike {
  postMessage(message: unknown): void
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  close(): void
}

const openChannel = (name: string) => new BroadcastChannel(name) as unknown as ChannelLike

/**
 * Where there is no SharedWorker: the tabs elect a leader with the Web Locks API (the holder of
 * one lock per session key), the leader runs the hub, and the others reach it over a
 * BroadcastChannel. When the leader closes, its lock passes to a waiting tab, which starts a hub
 * and says so; every tab says hello again and asks for what it holds (once).
 */
export function leaderLink(channelName: string, hubOptions: HubOptions = {}): HubLink {
  const logger: Logger = hubOptions.logger ?? defaultLogger(false)
  let tabChannel: ChannelLike | undefined
  let abdicate: (() => void) | undefined
  let tabLock: { release(): void } | undefined
  let closed = false
  return {
    kind: 'leader-election',
    open(tabId, onHub) {
      const channel = openChannel(channelName)
      tabChannel = channel
      let listeners = new Set<(message: unknown) => void>()
      let currentHub: string | undefined
      const portFor = (hub: string): TabPort => {
        const mine = new Set<(message: unknown) => void>()
        listeners = mine
        return {
          post: (body) => channel.postMessage({ kind: 'msg', to: hub, from: tabId, body }),
          listen: (listener) => {
            mine.add(listener)
            return () => mine.delete(listener)
          },
          close: () => mine.clear(),
        }
      }
      channel.addEventListener('message', ({ data }) => {
        const envelope = readEnvelope(data)
        if (!envelope) return
        if (envelope.kind === 'up' && envelope.hub !== currentHub) {
          currentHub = envelope.hub
          onHub(portFor(envelope.hub))
        } else if (envelope.kind === 'msg' && envelope.to === tabId && envelope.from === currentHub) {
          for (const listener of [...listeners]) listener(envelope.body)
        }
      })
      const lock = holdTabLock(tabId)
      tabLock = lock
      void lock.held.then(() => {
        if (closed) return
        channel.postMessage({ kind: 'who' })
        campaign()
      })
    },
    close() {
      closed = true
      tabLock?.release()
      abdicate?.()
      tabChannel?.close()
    },
  }

  /** Waits for the leader's lock; holding it, runs the hub until this tab closes. */
  function campaign(): void {
    const locks = lockManager()
    if (!locks) return
    locks
      .request(`react-wamp:leader:${channelName}`, () => {
        if (closed) return undefined
        return new Promise<void>((resolve) => {
          // The hub (and the whole client) is loaded only by the tab that leads.
          void import('./hubs.js').then(
            ({ TabHubs }) => {
              if (closed) return resolve()
              const stop = lead(new TabHubs(hubOptions))
              abdicate = () => {
                stop()
                resolve()
              }
            },
            (error: unknown) => {
              logger.error('the hub could not be loaded', error)
              resolve()
            },
          )
        })
      })
      .catch((error: unknown) => logger.error('the leader election failed', error))
  }

  /** Runs the hub for every tab on the channel. */
  function lead(hubs: import('./hubs.js').TabHubs): () => void {
    const server = openChannel(channelName)
    const hubId = `leader-${Math.random().toString(36).slice(2)}`
    const ports = new Map<string, Set<(message: unknown) => void>>()
    server.addEventListener('message', ({ data }) => {
      const envelope = readEnvelope(data)
      if (envelope?.kind === 'who') server.postMessage({ kind: 'up', hub: hubId })
      if (envelope?.kind !== 'msg' || envelope.to !== hubId) return
      const tab = envelope.from
      const isHello = (envelope.body as { t?: unknown } | null)?.t === 'hello'
      if (isHello || !ports.has(tab)) {
        // A tab's (new) hello opens a fresh port; the hub drops anything else before hello, with a reason.
        const listeners = new Set<(message: unknown) => void>()
        ports.set(tab, listeners)
        hubs.serve(
          {
            post: (body) => server.postMessage({ kind: 'msg', to: tab, from: hubId, body }),
            listen: (listener) => {
              listeners.add(listener)
              return () => listeners.delete(listener)
            },
            close: () => {
              if (ports.get(tab) === listeners) ports.delete(tab)
            },
          },
          watchTab,
        )
      }
      for (const listener of [...(ports.get(tab) ?? [])]) listener(envelope.body)
    })
    server.postMessage({ kind: 'up', hub: hubId })
    return () => {
      server.close()
      void hubs.closeAll()
    }
  }
}
