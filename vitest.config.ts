import { defineConfig } from 'vitest/config'
import { react18Dir } from './test/react18/install.js'

// The React tests run twice: with React 19 (the dev dependency) and with React 18 from its own folder
// (use-sync-external-store too: its CommonJS `require('react')` must find React 18).
const react18 = `${react18Dir()}/node_modules`

export default defineConfig({
  test: {
    // Autobahn|JS prints its connection lifecycle on every close; keep the report readable.
    onConsoleLog: (log: string) => !/auto-reconnect disabled|connection closed closed/.test(log),
    // Two cores: the suites wait on sockets more than on CPU, so two workers keep both busy.
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          // Projects run one after another (each starts its own routers).
          sequence: { groupOrder: 0 },
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: ['test/conformance/**', 'test/routers/**', 'test/browser/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'conformance',
          sequence: { groupOrder: 1 },
          include: ['test/conformance/**/*.test.{ts,tsx}', 'test/routers/**/*.test.ts'],
          globalSetup: ['test/conformance/global-setup.ts'],
          testTimeout: 20_000,
          hookTimeout: 180_000,
        },
      },
      {
        resolve: {
          alias: [
            {
              find: /^(react|react-dom|@testing-library\/react|use-sync-external-store)(\/.*)?$/,
              replacement: `${react18}/$1$2`,
            },
          ],
        },
        test: {
          name: 'react18',
          sequence: { groupOrder: 2 },
          include: [
            'test/conformance/react-hooks.test.tsx',
            'test/conformance/react-query-suspense.test.tsx',
            'test/react/use-*.test.tsx',
            'test/react/hooks.model.test.tsx',
            'test/query/*.test.tsx',
            'test/devtools/*.test.tsx',
          ],
          // TanStack Query is bundled by Vite here, so its `import 'react'` meets the alias to React 18.
          server: { deps: { inline: [/@tanstack\//] } },
          globalSetup: ['test/react18/check.ts', 'test/conformance/global-setup.ts'],
          testTimeout: 20_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'browser',
          sequence: { groupOrder: 3 },
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/browser/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
})
