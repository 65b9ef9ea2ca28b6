import { describe, expect, expectTypeOf, it } from 'vitest'
import { type Client, typedClient } from '../../src/index.js'
import { defineApi, useCall, usePublish, useSubscription } from '../../src/react/index.js'
import { connectLocal, createRouter } from '../../src/router/index.js'

type Api = {
  procedures: {
    'com.example.add': { args: [number, number]; result: [number] }
    'com.example.greet': { kwargs: { name: string }; result: [string] }
    'com.example.export': { progress: [percent: number]; result: [url: string] }
    'com.example.ping': { result: [] }
  }
  topics: {
    'com.example.tick': { args: [number]; kwargs: { at: string } }
    'com.example.free': Record<never, never>
  }
}

const api = defineApi<Api>()

// Type-level checks (components, never rendered): `npx tsc -p tsconfig.json --noEmit` fails if the
// API map stops typing the hooks and the client. Each @ts-expect-error must be an error.
function TypedHooksUsage() {
  const sum = api.useCall('com.example.add', { args: [1, 2] })
  expectTypeOf(sum.data?.args).toEqualTypeOf<[number] | undefined>()
  const selected = api.useCall('com.example.add', { args: [1, 2], select: (r) => r.args[0] })
  expectTypeOf(selected.data).toEqualTypeOf<number | undefined>()
  // @ts-expect-error: args must be two numbers
  api.useCall('com.example.add', { args: ['1', 2] })
  // @ts-expect-error: unknown procedure
  api.useCall('com.example.nope')
  // @ts-expect-error: declared args are required (no options at all)
  api.useCall('com.example.add')
  // @ts-expect-error: declared args are required (options without args)
  api.useCall('com.example.add', { cancelMode: 'kill' })
  // @ts-expect-error: declared kwargs are required
  api.useCall('com.example.greet', {})
  api.useCall('com.example.greet', { kwargs: { name: 'Ada' } })
  // Nothing declared: no options needed.
  api.useCall('com.example.ping')
  // Disabled: the args come with mutate, typed as declared.
  const add = api.useCall('com.example.add', { enabled: false })
  add.mutate({ args: [3, 4] })
  // @ts-expect-error: mutate's args are typed too
  add.mutate({ args: ['3', 4] })

  // useSuspenseCall: data is never undefined, args as declared.
  const total = api.useSuspenseCall('com.example.add', { args: [1, 2] })
  expectTypeOf(total.data.args).toEqualTypeOf<[number]>()
  const picked = api.useSuspenseCall('com.example.add', { args: [1, 2], select: (r) => r.args[0] })
  expectTypeOf(picked.data).toEqualTypeOf<number>()
  // @ts-expect-error: declared args are required
  api.useSuspenseCall('com.example.add')
  // @ts-expect-error: args must be two numbers
  api.useSuspenseCall('com.example.add', { args: [1, '2'] })
  api.useSuspenseCall('com.example.ping')

  // initialValue narrows progress (and the chunk is typed by the map).
  const exported = api.useProgressCall('com.example.export', {
    reducer: (_last: number, chunk) => chunk.args[0],
    initialValue: 0,
  })
  expectTypeOf(exported.progress).toEqualTypeOf<number>()
  const bare = api.useProgressCall('com.example.export')
  expectTypeOf(bare.progress?.args).toEqualTypeOf<[percent: number] | undefined>()

  // initialValue narrows state.
  const tick = api.useSubscription('com.example.tick', { reducer: (n: number, e) => n + e.args[0], initialValue: 0 })
  expectTypeOf(tick.lastEvent?.kwargs.at).toEqualTypeOf<string | undefined>()
  expectTypeOf(tick.state).toEqualTypeOf<number>()
  const untracked = api.useSubscription('com.example.tick')
  expectTypeOf(untracked.state).toEqualTypeOf<undefined>()

  const publish = api.usePublish('com.example.tick')
  // @ts-expect-error: the tick carries a number
  void publish(['late'], { at: 'now' })
  // @ts-expect-error: declared args (and kwargs) are required
  void publish()
  void publish([1], { at: 'now' })
  api.useRegister('com.example.add', ({ args }) => ({ args: [args[0] + args[1]] }))
  // @ts-expect-error: the result is one number
  api.useRegister('com.example.add', () => ({ args: ['three'] }))
}

// The plain hooks narrow too.
function PlainHooksUsage() {
  const counted = useSubscription('t', { reducer: (n: number) => n + 1, initialValue: 0 })
  expectTypeOf(counted.state).toEqualTypeOf<number>()
  const loose = useSubscription('t', { reducer: (n: number | undefined) => (n ?? 0) + 1 })
  expectTypeOf(loose.state).toEqualTypeOf<number | undefined>()
}

// The same map types the plain client (a Node backend).
async function TypedClientUsage(client: Client) {
  const backend = typedClient<Api>(client)
  await backend.register('com.example.add', ({ args: [a, b] }) => ({ args: [a + b] }))
  const {
    args: [total],
  } = await backend.call('com.example.add', [1, 2])
  expectTypeOf(total).toEqualTypeOf<number>()
  // @ts-expect-error: declared args are required
  await backend.call('com.example.add')
  // @ts-expect-error: args must be numbers
  await backend.call('com.example.add', ['1', '2'])
  await backend.call('com.example.greet', undefined, { name: 'Ada' })
  // @ts-expect-error: declared kwargs are required
  await backend.call('com.example.greet', [])
  await backend.subscribe('com.example.tick', (event) => expectTypeOf(event.args[0]).toEqualTypeOf<number>())
  await backend.publish('com.example.tick', [1], { at: 'now' })
  // @ts-expect-error: the tick carries a number
  await backend.publish('com.example.tick', ['1'], { at: 'now' })
  await backend.publish('com.example.free')
  // The rest of the client is still there.
  expectTypeOf(backend.close).toEqualTypeOf<Client['close']>()
  expectTypeOf(api.client(client).call).toEqualTypeOf(backend.call)
}

describe('defineApi and typedClient', () => {
  it('are the plain hooks and the plain client at run time', () => {
    expect(api.useCall).toBe(useCall)
    expect(api.useSubscription).toBe(useSubscription)
    expect(api.usePublish).toBe(usePublish)
    expect([TypedHooksUsage, PlainHooksUsage].every((f) => typeof f === 'function')).toBe(true)
  })

  it('typedClient types a real client shared by a backend and a caller', async () => {
    const router = createRouter({ realms: { realm1: {} } })
    const backend = typedClient<Api>(await connectLocal(router, { realm: 'realm1' }))
    await backend.register('com.example.add', ({ args: [a, b] }) => ({ args: [a + b] }))
    const caller = typedClient<Api>(await connectLocal(router, { realm: 'realm1' }))
    expect((await caller.call('com.example.add', [2, 3])).args).toEqual([5])
    expect(typeof TypedClientUsage).toBe('function')
    await caller.close()
    await backend.close()
    await router.close()
  })
})
