// A CommonJS file under nodenext: these imports compile to require(), typed from the ESM package.
import { type Client, connect } from 'react-wamp/client'

import routerEntry = require('react-wamp/router')

export async function open(): Promise<Client> {
  const router = routerEntry.createRouter({ realms: { realm1: {} } })
  const local = await routerEntry.connectLocal(router, { realm: 'realm1' })
  await local.close()
  return connect('ws://127.0.0.1:9/ws', { realm: 'realm1' })
}
