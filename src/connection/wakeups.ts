/**
 * In browsers, `online` and the page becoming visible mean the network may be back (or, after a
 * sleep, the socket may be half-open): the connection retries now, or checks its session now.
 * Returns the function that stops listening, or undefined where there is no such event (Node).
 */
export function listenForWakeups(wake: () => void): (() => void) | undefined {
  const target = globalThis as {
    addEventListener?: Window['addEventListener']
    removeEventListener?: Window['removeEventListener']
    document?: Document
  }
  if (typeof target.addEventListener !== 'function' || !target.document) return undefined
  const onVisible = () => {
    if (target.document?.visibilityState === 'visible') wake()
  }
  target.addEventListener('online', wake)
  target.document.addEventListener('visibilitychange', onVisible)
  return () => {
    target.removeEventListener?.('online', wake)
    target.document?.removeEventListener('visibilitychange', onVisible)
  }
}
