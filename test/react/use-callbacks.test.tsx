// @vitest-environment happy-dom
/**
 * User callbacks are contained to their own component: a throw from `select`, `onSuccess`,
 * `onError` or `onProgress` lands in that hook's `error`; a neighbour sharing the same CALL is
 * untouched; nothing becomes an unhandled rejection (Vitest fails the run on one).
 */
import { describe, expect, it } from 'vitest'
import { RPCError } from '../../src/client/index.js'
import { useCall, useProgressCall } from '../../src/react/index.js'
import { CALL, CANCEL, until, wirePerTest } from './local-wire.js'

const suite = wirePerTest()
const { mount } = suite
const thrower = (what: string) => () => {
  throw new Error(what)
}

describe('callbacks are contained to their component', () => {
  it('onSuccess that throws: its hook is in error, the neighbour sharing the CALL succeeds', async () => {
    const callee = await suite.wire().peer()
    await callee.register('t.ok', () => ({ args: [7] }))
    function C({ id, onSuccess }: { id: string; onSuccess?: () => void }) {
      const { status, data, error } = useCall('t.ok', { select: (r) => r.args[0] as number, onSuccess })
      return <p data-testid={id}>{`${status}:${data}:${error?.message ?? ''}`}</p>
    }
    const view = mount(
      <>
        <C id="bad" onSuccess={thrower('onSuccess broke')} />
        <C id="good" />
      </>,
    )
    await until('both settled', () => view.getByTestId('good').textContent === 'success:7:')
    await until('bad in error', () => view.getByTestId('bad').textContent === 'error:7:onSuccess broke')
    expect(suite.wire().ofType(CALL)).toHaveLength(1)
  })

  it('onError that throws: its throw is the error shown; the neighbour shows the RPC error', async () => {
    const callee = await suite.wire().peer()
    await callee.register('t.fail', () => {
      throw new RPCError('com.example.failed')
    })
    function C({ id, onError }: { id: string; onError?: () => void }) {
      const { status, error } = useCall('t.fail', { onError })
      return <p data-testid={id}>{`${status}:${error?.message ?? ''}`}</p>
    }
    const view = mount(
      <>
        <C id="bad" onError={thrower('onError broke')} />
        <C id="good" />
      </>,
    )
    await until('bad', () => view.getByTestId('bad').textContent === 'error:onError broke')
    await until('good', () => view.getByTestId('good').textContent?.startsWith('error:com.example.failed') === true)
    expect(suite.wire().ofType(CALL)).toHaveLength(1)
  })

  it('onProgress that throws: its hook is in error; the neighbour gets every chunk and the result', async () => {
    const callee = await suite.wire().peer()
    await callee.register('t.progress', async ({ progress }) => {
      for (const n of [1, 2, 3]) {
        progress([n])
        await new Promise((resolve) => setTimeout(resolve, 2))
      }
      return { args: ['done'] }
    })
    function C({ id, onProgress }: { id: string; onProgress?: () => void }) {
      const { status, chunkCount, error } = useProgressCall('t.progress', { onProgress })
      return <p data-testid={id}>{`${status}:${chunkCount}:${error?.message ?? ''}`}</p>
    }
    const view = mount(
      <>
        <C id="bad" onProgress={thrower('onProgress broke')} />
        <C id="good" />
      </>,
    )
    await until('good', () => view.getByTestId('good').textContent === 'success:3:')
    expect(view.getByTestId('bad').textContent).toBe('error:1:onProgress broke')
    expect(suite.wire().ofType(CALL)).toHaveLength(1)
    expect(suite.wire().ofType(CANCEL)).toHaveLength(0)
  })
})
