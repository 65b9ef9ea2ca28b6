// Type-checked under nodenext (an ES module: the app is "type": "module") and under bundler.
import { createElement, type ReactElement } from 'react'
import { useCall, WampProvider } from 'react-wamp'
import { type Client, type ConnectionInspection, RPCError, ticket } from 'react-wamp/client'
import { WampDevtools, type WampDevtoolsProps } from 'react-wamp/devtools'
import { connectLocal, createRouter, type Router } from 'react-wamp/router'

const router: Router = createRouter({ realms: { realm1: {} } })
const client: Client = await connectLocal(router, { realm: 'realm1', auth: [ticket('secret')] })
const { args } = await client.call('com.example.add', [1, 2])
const sum: unknown = args[0]
const isRpcError: boolean = new Error() instanceof RPCError

export function Sum(): ReactElement {
  const { data } = useCall('com.example.add', { args: [1, 2], select: (r) => r.args[0] as number })
  const value: number | undefined = data
  return createElement('p', null, String(value))
}
export const app: ReactElement = createElement(WampProvider, { url: 'ws://127.0.0.1:9/ws', realm: 'realm1' })
const devtoolsProps: WampDevtoolsProps = { initialIsOpen: true, position: 'inline' }
export const devtools: ReactElement = createElement(WampDevtools, devtoolsProps)
export type Inspection = ConnectionInspection
export { isRpcError, sum }
