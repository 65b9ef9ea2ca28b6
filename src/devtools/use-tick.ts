import { useEffect, useState } from 'react'

/** Re-renders every `ms` while `active`: the panel shows a sample, not every message, so a burst costs one render. */
export function useTick(active: boolean, ms: number): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!active) return undefined
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(timer)
  }, [active, ms])
  return now
}
