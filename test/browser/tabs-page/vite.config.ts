import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const src = (path: string) => fileURLToPath(new URL(`../../../src/${path}`, import.meta.url))

/**
 * Builds the test page as an app would: `react-wamp` names point at the sources. The worker is an
 * ES module (`worker.format: 'es'`): the client loads parts on demand, which an IIFE worker cannot.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  logLevel: 'warn',
  resolve: {
    alias: [
      { find: /^react-wamp\/shared-worker$/, replacement: src('tabs/shared-worker.ts') },
      { find: /^react-wamp\/tabs$/, replacement: src('tabs/index.ts') },
      { find: /^react-wamp$/, replacement: src('index.ts') },
    ],
  },
  worker: { format: 'es' },
  build: { target: 'es2022', minify: false, emptyOutDir: true },
})
