import type { RouterName, RouterOptions, RunningRouter } from './types.js'

/** Routers the suites run against: `WAMP_ROUTERS` (comma-separated), default all three. */
export function selectedRouters(): RouterName[] {
  const names = (process.env.WAMP_ROUTERS ?? 'nexus,crossbar,local')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  for (const name of names) {
    if (name !== 'nexus' && name !== 'crossbar' && name !== 'local') {
      throw new Error(`WAMP_ROUTERS names an unknown router "${name}": use nexus, crossbar or local`)
    }
  }
  return names as RouterName[]
}

/** Starts one router by name; `options` (TLS listeners) are for nexus and Crossbar.io. */
export async function startRouter(name: RouterName, options?: RouterOptions): Promise<RunningRouter> {
  switch (name) {
    case 'nexus':
      return (await import('./nexus/launch.js')).startNexus(options)
    case 'crossbar':
      return (await import('./crossbar/launch.js')).startCrossbar(options)
    case 'local':
      if (options?.tls) throw new Error('the local test router has no TLS listeners')
      return (await import('./local/launch.js')).startLocal()
  }
}
