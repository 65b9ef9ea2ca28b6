// CommonJS consumer: require() of the ES module package (Node >= 20.19 and >= 22.12).
const { RPCError } = require('react-wamp/client')
const { connectLocal, createRouter } = require('react-wamp/router')

async function main() {
  const router = createRouter({ realms: { realm1: {} } })
  const callee = await connectLocal(router, { realm: 'realm1' })
  await callee.register('com.example.add', ({ args }) => ({ args: [args[0] + args[1]] }))
  const caller = await connectLocal(router, { realm: 'realm1' })
  const { args } = await caller.call('com.example.add', [1, 2])
  const error = await caller.call('com.example.nobody').catch((e) => e)
  await caller.close()
  await callee.close()
  await router.close()
  console.log(JSON.stringify({ sum: args[0], rpcError: error instanceof RPCError, uri: error.uri }))
}
main()
