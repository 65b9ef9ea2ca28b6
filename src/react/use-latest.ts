import { useEffect, useLayoutEffect, useRef } from 'react'

// useLayoutEffect warns when rendered on a server; effects never run there anyway.
const useIsomorphicLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect

/** A ref that always holds the latest value, so callbacks read fresh props without re-subscribing. */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value)
  useIsomorphicLayoutEffect(() => {
    ref.current = value
  })
  return ref
}
