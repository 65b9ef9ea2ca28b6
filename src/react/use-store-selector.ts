import { useCallback, useRef, useSyncExternalStore } from 'react'
import type { ReadableStore } from '../connection/store.js'

/**
 * Reads a store through a selector. The selection is recomputed only when the snapshot changes,
 * so a selector that builds a new object cannot make React render forever.
 */
export function useStoreSelector<T, S>(store: ReadableStore<T>, selector: (snapshot: T) => S): S {
  const selectorRef = useRef(selector)
  selectorRef.current = selector
  const cache = useRef<{ snapshot: T; selected: S } | undefined>(undefined)
  const getSelection = useCallback(() => {
    const snapshot = store.getSnapshot()
    const cached = cache.current
    if (cached && Object.is(cached.snapshot, snapshot)) return cached.selected
    const selected = selectorRef.current(snapshot)
    cache.current = { snapshot, selected }
    return selected
  }, [store])
  return useSyncExternalStore(store.subscribe, getSelection, getSelection)
}
