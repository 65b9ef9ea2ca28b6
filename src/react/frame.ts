/**
 * Runs `callback` before the next paint (requestAnimationFrame); where there is none (server
 * rendering, Node, some test environments) after a macrotask. Returns the function that cancels it.
 */
export function onNextFrame(callback: () => void): () => void {
  if (typeof requestAnimationFrame === 'function' && typeof cancelAnimationFrame === 'function') {
    const id = requestAnimationFrame(() => callback())
    return () => cancelAnimationFrame(id)
  }
  const timer = setTimeout(callback, 0)
  return () => clearTimeout(timer)
}
