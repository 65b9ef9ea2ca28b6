/**
 * One end of a point-to-point link across the tab boundary: a MessagePort (a SharedWorker's
 * port, a MessageChannel), or a virtual port over a BroadcastChannel (leader election).
 * What arrives is unchecked: the receiver validates it.
 */
export interface TabPort {
  post(message: unknown): void
  /** Listens to incoming messages; returns the function that stops listening. */
  listen(listener: (message: unknown) => void): () => void
  close(): void
}

/** The minimal MessagePort surface (browser and Node share it). */
export interface MessagePortLike {
  postMessage(message: unknown): void
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  start(): void
  close(): void
}

/** Wraps a MessagePort. */
export function messagePortLink(port: MessagePortLike): TabPort {
  return {
    post: (message) => port.postMessage(message),
    listen: (listener) => {
      const onMessage = (event: { data: unknown }) => listener(event.data)
      port.addEventListener('message', onMessage)
      port.start()
      return () => port.removeEventListener('message', onMessage)
    },
    close: () => port.close(),
  }
}
