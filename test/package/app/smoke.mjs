// ESM consumer: the in-process router, a callee and a caller through the installed package.
import { RPCError } from 'react-wamp/client'
import { connectLocal, createRouter } from 'react-wamp/router'

const router = createRouter({ realms: { realm1: {} } })
const callee = await connectLocal(router, { realm: 'realm1' })
await callee.register('com.example.add', ({ args }) => ({ args: [args[0] + args[1]] }))
const caller = await connectLocal(router, { realm: 'realm1' })
const { args } = await caller.call('com.example.add', [1, 2])
// One class across entry points: no second copy of the errors chunk.
const error = await caller.call('com.example.nobody').catch((e) => e)
await caller.close()
await callee.close()
await router.close()
console.log(JSON.stringify({ sum: args[0], rpcError: error instanceof RPCError, uri: error.uri }))
