import type { Dict } from '../protocol/messages.js'
import { runHandler } from './run-handler.js'
import type { RevokedListener } from './types.js'

/** The listeners told when the router ends a subscription or registration on its own. */
export class RevocationListeners {
  private readonly slots = new Set<{ listener: RevokedListener }>()

  /** Adds a listener; returns the function that removes exactly this one. */
  add(listener: RevokedListener): () => void {
    const slot = { listener }
    this.slots.add(slot)
    return () => {
      this.slots.delete(slot)
    }
  }

  /** Tells every listener once; a throw goes to `onError`, never to the others. */
  fire(details: Dict, onError: (error: unknown) => void): void {
    const slots = [...this.slots]
    this.slots.clear()
    for (const { listener } of slots) runHandler(listener, details, onError)
  }
}
