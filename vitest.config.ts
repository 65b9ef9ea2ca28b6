import { defineConfig } from 'vitest/config'

// Two cores: the conformance suites wait on sockets, not CPU, so two workers keep both busy.
export default defineConfig({
  test: {
    // Autobahn|JS prints its connection lifecycle on every close; keep the report readable.
    onConsoleLog: (log: string) => !/auto-reconnect disabled|connection closed closed/.test(log),
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: ['test/conformance/**', 'test/routers/**', 'test/browser/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'conformance',
          include: ['test/conformance/**/*.test.{ts,tsx}', 'test/routers/**/*.test.ts'],
          globalSetup: ['test/conformance/global-setup.ts'],
          testTimeout: 20_000,
          hookTimeout: 180_000,
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/browser/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
})
