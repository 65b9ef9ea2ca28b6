/**
 * Runs `release` one macrotask later unless `cancel()` comes first. React StrictMode unmounts
 * and remounts at once: the remount takes the resource back and nothing goes over the wire.
 */
export function releaseLater(release: () => void): { cancel(): void } {
  const timer = setTimeout(release, 0)
  return { cancel: () => clearTimeout(timer) }
}
