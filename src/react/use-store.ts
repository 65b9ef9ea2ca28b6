// A CommonJS package: its default import works in Node's ESM, Vite and bundlers alike.
import withSelector from 'use-sync-external-store/with-selector.js'
import type { ReadableStore } from '../connection/store.js'
import { shallowEqual } from './shallow-equal.js'

const { useSyncExternalStoreWithSelector } = withSelector
const identity = <T>(value: T): T => value

/**
 * Reads a store through `select` with `useSyncExternalStoreWithSelector`: the selection is
 * recomputed when the snapshot or the selector changes (a selector that reads props is never
 * stale), and the component renders only when `isEqual` (shallow by default) says it changed.
 */
export function useStore<T, S = T>(
  store: ReadableStore<T>,
  select: (snapshot: T) => S = identity as (snapshot: T) => S,
  isEqual: (a: S, b: S) => boolean = shallowEqual,
): S {
  return useSyncExternalStoreWithSelector(store.subscribe, store.getSnapshot, store.getSnapshot, select, isEqual)
}
