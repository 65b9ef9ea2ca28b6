import { defineConfig } from 'vite'

// Library build: ESM only, one file per entry point plus shared chunks; declarations come from tsc.
export default defineConfig({
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
        'ws',
        'isomorphic-ws',
        /^@msgpack\//,
        /^@noble\//,
      ],
    },
  },
})
