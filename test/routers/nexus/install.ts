import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildGoProgram, onceAtATime } from '../../support/go-build.js'

/** Builds (once per source hash, cached under cacheDir()) and returns the path of the nexus test router binary. */
export const ensureNexus = onceAtATime(() =>
  buildGoProgram({
    sourceDir: dirname(fileURLToPath(import.meta.url)),
    sourceFiles: ['go.mod', 'go.sum', 'main.go'],
    cachePrefix: 'nexus',
    binaryName: 'nexus-test-router',
    label: 'nexus test router',
  }),
)
