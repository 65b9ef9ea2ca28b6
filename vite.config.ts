import { defineConfig, type Plugin } from 'vite'

/**
 * The client loads RawSocket with `import('../transports/rawsocket.js')`. In the package that
 * import becomes `import('#rawsocket')`, which package.json `imports` maps to the Node transport,
 * or under the `browser` condition to a stub that explains the error (no Node built-ins in browsers).
 */
function rawSocketImport(): Plugin {
  return {
    name: 'react-wamp-rawsocket-import',
    enforce: 'pre', // before Vite's resolver turns the path into a file
    resolveId(source, importer) {
      // Entries have no importer: dist/rawsocket.js itself is still built.
      if (importer && /(^|\/)transports\/rawsocket\.js$/.test(source)) return { id: '#rawsocket', external: true }
      return null
    },
  }
}

// Library build: ESM only, one file per entry point plus shared chunks; declarations come from tsc.
export default defineConfig({
  plugins: [rawSocketImport()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    sourcemap: true,
    minify: false,
    lib: {
      entry: {
        index: 'src/index.ts',
        client: 'src/core.ts',
        router: 'src/router/index.ts',
        // One session for every tab: the tab side, and the SharedWorker that holds the session.
        tabs: 'src/tabs/index.ts',
        'shared-worker': 'src/tabs/shared-worker.ts',
        query: 'src/query/index.ts',
        devtools: 'src/devtools/index.ts',
        rawsocket: 'src/transports/rawsocket.ts',
        'rawsocket-browser': 'src/transports/rawsocket-browser.ts',
      },
      formats: ['es'],
    },
    rollupOptions: {
      external: [
        /^node:/,
        /^react($|\/)/,
        /^use-sync-external-store($|\/)/,
        'react-dom',
        /^@tanstack\//,
        'ws',
        'isomorphic-ws',
        /^@msgpack\//,
        /^cborg($|\/)/,
        /^@noble\//,
      ],
    },
  },
})
