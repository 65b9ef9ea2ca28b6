// `npm run size`: what a browser downloads for each way of using react-wamp, minified, gzip and brotli.
// Parts loaded on demand (the callee on the first register(), the callProgress iterator, the
// handshake's auth steps, MsgPack or CBOR when asked for, RawSocket, the WebSocket's Node-only part) are
// separate chunks: the "initial" checks leave them out, because an app that never uses them never
// downloads them; the checks named "+ …" and the auth checks add them back.
// Budgets: the sizes measured when they were set, plus about 3% (raised for issue 16: exact 64-bit
// integers in JSON, EVENT Details checks, transparent payloads, about 1 kB; (b) raised for issue 15: MsgPack
// through @msgpack/msgpack, 6.8 kB gzip on demand where the hand-written codec took 2.35 kB; raised in the
// session that built issues 19–22 and finished 15 and 16, measured with the lock file's packages: the
// core (a) grew 11.83 → 12.24 kB gzip: EVENT_RECEIVED and the handler outcomes it needs 0.25 kB,
// transparent callProgressive chunks 0.07 kB, the devtools message tap 0.06 kB, the CBOR loader 0.02 kB;
// the React layer (c) 20.50 → 21.23 kB: the same plus isPreviousData, the connection's inspection hooks,
// the WampConnection surface for shared tabs and the gap-free lease state; the router (e) 17.39 → 19.36
// kB: the subscription and registration meta APIs 0.7 kB, event history and retained events 0.9 kB).
// The targets of issue 10 are lower:
// (a) 6 kB and (c) 9 kB gzip (README, Figures, says where the bytes go).

/** Chunks of dist/ reached only through `import()`. */
const LAZY = {
  callee: /^\.\/callee-[\w-]+\.js$/,
  progress: /^\.\/progress-results-[\w-]+\.js$/,
  authentication: /^\.\/authentication-[\w-]+\.js$/,
  msgpack: /^\.\/msgpack-[\w-]+\.js$/,
  cbor: /^\.\/cbor-[\w-]+\.js$/,
  rawsocket: /^#rawsocket$/, // package.json `imports`: the browser stub or the Node transport
  websocketNode: /^\.\/websocket-node-[\w-]+\.js$/,
  leaderHub: /^\.\/hubs-[\w-]+\.js$/, // loaded by the tab elected to hold a shared session
  backfill: /^\.\/backfill-[\w-]+\.js$/,
  tabHistory: /^\.\/tab-history-[\w-]+\.js$/, // the tab's side of history subscriptions in shared mode
}

/** An esbuild plugin that leaves the named on-demand chunks out of the measured bundle. */
function onDemand(...names) {
  return (config) => ({
    ...config,
    plugins: [
      ...(config.plugins ?? []),
      {
        name: 'react-wamp-on-demand',
        setup(build) {
          build.onResolve({ filter: /^(\.\/|#)/ }, (args) =>
            args.kind === 'dynamic-import' && names.some((name) => LAZY[name].test(args.path))
              ? { path: args.path, external: true }
              : undefined,
          )
        },
      },
    ],
  })
}

const NOT_BROWSER = ['isomorphic-ws', 'ws'] // isomorphic-ws is the browser's own WebSocket there
const CLIENT = 'dist/client.js'
const ALL = 'dist/index.js'
const HOOKS = '{ WampProvider, useWampSession, useCall, useProgressCall, useSubscription, useRegister, usePublish }'

/** One check, measured twice: gzip and brotli. */
function check(name, { path = CLIENT, imports, ignore = [], lazy = [], gzip, brotli }) {
  const base = {
    path,
    import: imports,
    ignore: [...NOT_BROWSER, ...ignore],
    modifyEsbuildConfig: onDemand(...lazy),
  }
  return [
    { ...base, name: `${name} [gzip]`, gzip: true, limit: gzip },
    { ...base, name: `${name} [brotli]`, brotli: true, limit: brotli },
  ]
}

const jsonOnly = {
  ignore: ['@noble/hashes'],
  lazy: ['callee', 'progress', 'authentication', 'msgpack', 'cbor', 'rawsocket', 'websocketNode', 'backfill'],
}

const withoutAuthentication = jsonOnly.lazy.filter((name) => name !== 'authentication')

export default [
  ...check('(a) client core, JSON: connect, call, subscribe (initial)', {
    imports: '{ connect }',
    ...jsonOnly,
    gzip: '12.7 kB',
    brotli: '11.4 kB',
  }),
  ...check('(a) + the callee, loaded by the first register()', {
    imports: '{ connect }',
    ignore: jsonOnly.ignore,
    lazy: ['progress', 'authentication', 'msgpack', 'cbor', 'rawsocket', 'websocketNode'],
    gzip: '14.5 kB',
    brotli: '13.0 kB',
  }),
  ...check('(b) (a) + MsgPack, loaded when asked for', {
    imports: '{ connect }',
    ignore: jsonOnly.ignore,
    lazy: ['callee', 'progress', 'authentication', 'cbor', 'rawsocket', 'websocketNode'],
    gzip: '19.8 kB',
    brotli: '17.8 kB',
  }),
  ...check('(b) (a) + CBOR, loaded when asked for', {
    imports: '{ connect }',
    ignore: jsonOnly.ignore,
    lazy: ['callee', 'progress', 'authentication', 'msgpack', 'rawsocket', 'websocketNode'],
    // Issue 22: cborg (README, The client, says why), the bounds check and the tags: 9.3 kB gzip on demand.
    gzip: '21.8 kB',
    brotli: '19.5 kB',
  }),
  // This session's growth of (c), 14.9 → 20.2 kB: the connection's state machine, leases that retry and
  // waiters for the session (issue 14, +1.9 kB); the hooks' status model, keys by value, mutate and
  // use-sync-external-store's selector (issue 15, +2.8 kB); exact 64-bit integers and EVENT checks (issue 16).
  ...check('(c) React layer, every hook, with (a) (initial)', {
    path: ALL,
    imports: HOOKS,
    ...jsonOnly,
    ignore: [...jsonOnly.ignore, 'react', 'react-dom'],
    // Issue 20 (+0.34 kB): the `history` option and the hook for the lazily loaded backfill machine.
    gzip: '21.9 kB',
    brotli: '19.8 kB',
  }),
  ...check('(c) + the callee, loaded by the first useRegister', {
    path: ALL,
    imports: HOOKS,
    ignore: [...jsonOnly.ignore, 'react', 'react-dom'],
    lazy: ['progress', 'authentication', 'msgpack', 'cbor', 'rawsocket', 'websocketNode', 'backfill'],
    gzip: '23.7 kB',
    brotli: '21.5 kB',
  }),
  // Issue 20: gap-free subscriptions (the backfill machine and the event-history reader) load on the
  // first subscription with `history`; apps that never ask for history never download them.
  ...check('(c) + gap-free subscriptions, loaded by the first useSubscription with history', {
    path: ALL,
    imports: HOOKS,
    ignore: [...jsonOnly.ignore, 'react', 'react-dom'],
    lazy: ['callee', 'progress', 'authentication', 'msgpack', 'cbor', 'rawsocket', 'websocketNode'],
    gzip: '24.3 kB',
    brotli: '21.8 kB',
  }),
  ...['ticket', 'wampcra', 'cryptosign'].flatMap((method) =>
    check(`(d) auth: ${method}, with (a) and the handshake's auth steps`, {
      imports: `{ connect, ${method} }`,
      ignore: jsonOnly.ignore,
      lazy: withoutAuthentication,
      gzip: '14.4 kB',
      brotli: '13.0 kB',
    }),
  ),
  ...check('(d) auth: scram with argon2id and pbkdf2, with (a)', {
    imports: '{ connect, scram }',
    lazy: withoutAuthentication,
    gzip: '21.4 kB',
    brotli: '19.0 kB',
  }),
  // Issue 21: the Suspense variant of useCall, beside the hooks of (c) (its cache and hook only).
  ...check('(f) (c) + useSuspenseCall', {
    path: ALL,
    imports: `{ WampProvider, useSuspenseCall, useSuspenseCallReset, useWampSession, useCall, useProgressCall, useSubscription, useRegister, usePublish }`,
    ...jsonOnly,
    ignore: [...jsonOnly.ignore, 'react', 'react-dom'],
    gzip: '22.5 kB',
    brotli: '20.3 kB',
  }),
  // Issue 21: react-wamp/query's own code (TanStack Query, React and the connection it is given are the app's).
  ...check('(g) react-wamp/query: query and mutation options, subscription to the cache', {
    path: 'dist/query.js',
    imports: '{ callQueryOptions, callMutationOptions, subscribeToQuery, useSubscriptionToQuery }',
    ...jsonOnly,
    ignore: [...jsonOnly.ignore, 'react', 'react-dom', '@tanstack/react-query'],
    // Review of issue 21: a restarted fetch makes a new CALL, an event during a fetch restarts it.
    gzip: '1.74 kB',
    brotli: '1.56 kB',
  }),
  // Issue 21: the devtools panel is its own entry; an app pays for it only when it imports it. What it
  // adds to an app that already has (c): the panel, the message log, redaction, the inspection.
  ...check('(h) devtools: <WampDevtools /> (react-wamp/devtools)', {
    path: 'dist/devtools.js',
    imports: '{ WampDevtools }',
    ...jsonOnly,
    ignore: [...jsonOnly.ignore, 'react', 'react-dom'],
    // Review of issue 21 (+0.84 kB): message sizes measured within a bound, URL redaction, a bounded
    // EventRates (hostile payloads cost what the log keeps).
    gzip: '7.65 kB',
    brotli: '6.83 kB',
  }),
  ...check('(e) in-process router: createRouter + connectLocal', {
    path: 'dist/router.js',
    imports: '{ createRouter, connectLocal }',
    ...jsonOnly,
    // Issue 17: connectLocal serializes every message like the wire (JSON by default): +1 kB.
    // Issue 20: per-topic event history, get_events, lookup and retained events: +1 kB.
    gzip: '20.0 kB',
    brotli: '17.9 kB',
  }),
  // Issue 19, one session for every tab: what a tab adds for `shareAcrossTabs` (the tab side and the
  // leader election that runs the hub where no SharedWorker exists), and the SharedWorker file.
  ...check('(i) (c) + shareAcrossTabs: acrossTabs and the tab side (initial; the hub loads in the elected tab)', {
    path: [ALL, 'dist/tabs.js'],
    imports: { [ALL]: HOOKS, 'dist/tabs.js': '{ acrossTabs }' },
    ...jsonOnly,
    lazy: [...jsonOnly.lazy, 'leaderHub', 'tabHistory'],
    ignore: [...jsonOnly.ignore, 'react', 'react-dom'],
    // Measured 25.1 / 22.5 kB: the tab side adds about 4.5 kB gzip to (c).
    gzip: '27.3 kB',
    brotli: '24.6 kB',
  }),
  // Issue 19 × 20: history across tabs; the tab's part loads with the first subscription with `history`.
  ...check('(i) + history across tabs, loaded by the first useSubscription with history in shared mode', {
    path: [ALL, 'dist/tabs.js'],
    imports: { [ALL]: HOOKS, 'dist/tabs.js': '{ acrossTabs }' },
    ...jsonOnly,
    lazy: [...jsonOnly.lazy, 'leaderHub'], // the backfill runs in the hub, not in the tab
    ignore: [...jsonOnly.ignore, 'react', 'react-dom'],
    // Measured 27.33 / 24.51 kB: the tab's history part (tab-history, recent-ids) adds about 0.9 kB gzip to (i).
    gzip: '28.1 kB',
    brotli: '25.1 kB',
  }),
  ...check('(j) the SharedWorker file: the hub and the client core (initial)', {
    path: 'dist/shared-worker.js',
    ...jsonOnly,
    // Measured 21.0 / 19.0 kB: a file of its own, downloaded once per site by the worker.
    gzip: '22.4 kB',
    brotli: '20.3 kB',
  }),
]
