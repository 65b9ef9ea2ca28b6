import { describe, expect, expectTypeOf, it } from 'vitest'
import { defineApi, useCall, usePublish, useSubscription } from '../../src/react/index.js'

type Api = {
  procedures: {
    'com.example.add': { args: [number, number]; result: [number] }
    'com.example.greet': { kwargs: { name: string }; result: [string] }
  }
  topics: { 'com.example.tick': { args: [number]; kwargs: { at: string } } }
}

const api = defineApi<Api>()

// Type-level checks (a component, never rendered): `npm run typecheck` fails if the API map stops typing the hooks.
function TypedUsage() {
  const sum = api.useCall('com.example.add', { args: [1, 2] })
  expectTypeOf(sum.data?.args).toEqualTypeOf<[number] | undefined>()
  const selected = api.useCall('com.example.add', { args: [1, 2], select: (r) => r.args[0] })
  expectTypeOf(selected.data).toEqualTypeOf<number | undefined>()
  // @ts-expect-error: args must be two numbers
  api.useCall('com.example.add', { args: ['1', 2] })
  // @ts-expect-error: unknown procedure
  api.useCall('com.example.nope')
  api.useCall('com.example.greet', { kwargs: { name: 'Ada' } })
  const tick = api.useSubscription('com.example.tick', { reducer: (n: number, e) => n + e.args[0], initialValue: 0 })
  expectTypeOf(tick.lastEvent?.kwargs.at).toEqualTypeOf<string | undefined>()
  expectTypeOf(tick.state).toEqualTypeOf<number | undefined>()
  const publish = api.usePublish('com.example.tick')
  // @ts-expect-error: the tick carries a number
  void publish(['late'])
  api.useRegister('com.example.add', ({ args }) => ({ args: [args[0] + args[1]] }))
}

describe('defineApi', () => {
  it('returns the plain hooks at run time', () => {
    expect(api.useCall).toBe(useCall)
    expect(api.useSubscription).toBe(useSubscription)
    expect(api.usePublish).toBe(usePublish)
    expect(typeof TypedUsage).toBe('function')
  })
})
