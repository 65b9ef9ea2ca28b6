// Fallback types for the CommonJS entry, used only where @types/use-sync-external-store is not installed
// (a shared node_modules pruned by another install); the installed package's own types win when present.
declare module 'use-sync-external-store/with-selector.js' {
  export function useSyncExternalStoreWithSelector<Snapshot, Selection>(
    subscribe: (onStoreChange: () => void) => () => void,
    getSnapshot: () => Snapshot,
    getServerSnapshot: undefined | null | (() => Snapshot),
    selector: (snapshot: Snapshot) => Selection,
    isEqual?: (a: Selection, b: Selection) => boolean,
  ): Selection
}
