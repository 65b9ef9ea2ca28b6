import type { ClientName } from '../workload.js'
import type { ConnectBench } from './types.js'

/** Each adapter is imported only by the worker that measures it, so no process loads the others. */
export async function loadClient(name: ClientName): Promise<ConnectBench> {
  switch (name) {
    case 'floor':
      return (await import('./floor.js')).connectFloor
    case 'decoding':
      return (await import('./floor.js')).connectDecodingFloor
    case 'ours':
      return (await import('./ours.js')).connectOurs
    case 'autobahn':
      return (await import('./autobahn.js')).connectAutobahn
    case 'wampy':
      return (await import('./wampy.js')).connectWampy
  }
}
