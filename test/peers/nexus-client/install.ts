import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildGoProgram, onceAtATime } from '../../support/go-build.js'

/** Builds (once per source hash, cached under cacheDir()) and returns the path of the nexus Go client peer. */
export const ensureNexusPeer = onceAtATime(() =>
  buildGoProgram({
    sourceDir: dirname(fileURLToPath(import.meta.url)),
    sourceFiles: ['go.mod', 'go.sum', 'main.go'],
    cachePrefix: 'nexus-peer',
    binaryName: 'nexus-test-peer',
    label: 'nexus Go client peer',
  }),
)
