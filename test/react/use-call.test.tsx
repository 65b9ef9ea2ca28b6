// @vitest-environment happy-dom
/**
 * useCall and useProgressCall under <StrictMode> on the in-process router: the rendered state and
 * the wire (one CALL per key, a CANCEL on supersede, disable and unmount). Cases of issue 15.
 */
import { act } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, RPCError } from '../../src/client/index.js'
import { type CallStatus, useCall, useProgressCall } from '../../src/react/index.js'
import { CALL, CANCEL, gate, sleep, until, wirePerTest } from './local-wire.js'

const suite = wirePerTest()
const { mount, text } = suite

/** A callee that never answers unless cancelled; counts interrupts. */
async function slowCallee(procedure: string) {
  const callee = await suite.wire().peer()
  const seen = { invocations: 0, interrupted: 0 }
  await callee.register(procedure, ({ signal }) => {
    seen.invocations += 1
    return new Promise((_, reject) =>
      signal.addEventListener('abort', () => {
        seen.interrupted += 1
        reject(signal.reason)
      }),
    )
  })
  return seen
}

describe('useCall', () => {
  it('case 1: a throwing select ends in error (useCall and useProgressCall), one CALL each', async () => {
    const callee = await suite.wire().peer()
    await callee.register('t.select', () => ({ args: [1] }))
    await callee.register('t.select.progress', ({ progress }) => {
      progress([1])
      return { args: [2] }
    })
    const boom = () => {
      throw new Error('bad select')
    }
    function A() {
      const { status, error } = useCall('t.select', { select: boom })
      return <p data-testid="a">{`${status}:${error?.message}`}</p>
    }
    function B() {
      const { status, error, progress } = useProgressCall('t.select.progress', {
        select: boom,
        reducer: (n: number, chunk) => n + (chunk.args[0] as number),
        initialValue: 0,
      })
      return <p data-testid="b">{`${status}:${error?.message}:${progress}`}</p>
    }
    const view = mount(
      <>
        <A />
        <B />
      </>,
    )
    await until(
      'both in error',
      () => text(view, 'a') === 'error:bad select' && text(view, 'b') === 'error:bad select:1',
    )
    expect(suite.wire().ofType(CALL)).toHaveLength(2)
  })

  it('case 2: enabled: false cancels the call in flight and goes idle, never stuck pending', async () => {
    const seen = await slowCallee('t.slow')
    function Slow({ enabled }: { enabled: boolean }) {
      const { status, isPending } = useCall('t.slow', { enabled })
      return <p data-testid="slow">{`${status}:${isPending}`}</p>
    }
    const view = mount(<Slow enabled />)
    await until(
      'pending with one CALL',
      () => suite.wire().ofType(CALL).length === 1 && text(view, 'slow') === 'pending:true',
    )
    view.update(<Slow enabled={false} />)
    expect(text(view, 'slow')).toBe('idle:false')
    await until('one CANCEL', () => suite.wire().ofType(CANCEL).length === 1)
    await until('the callee was interrupted', () => seen.interrupted === 1)
    await act(() => sleep(20))
    expect(text(view, 'slow')).toBe('idle:false')
    expect(suite.wire().ofType(CALL)).toHaveLength(1)
  })

  it('case 3: Dates are keyed by value: a new date calls again; two dates are two calls with their own results', async () => {
    const callee = await suite.wire().peer()
    await callee.register('t.date', ({ args }) => ({ args: [args[0]] }))
    function Day({ id, date }: { id: string; date: Date }) {
      const { data } = useCall('t.date', { args: [date], select: (r) => r.args[0] as string })
      return <p data-testid={id}>{data ?? ''}</p>
    }
    const d1 = new Date('2026-01-01T00:00:00Z')
    const d2 = new Date('2026-02-01T00:00:00Z')
    const view = mount(
      <>
        <Day id="a" date={d1} />
        <Day id="b" date={d2} />
      </>,
    )
    await until('both answered', () => text(view, 'a') === d1.toISOString() && text(view, 'b') === d2.toISOString())
    expect(suite.wire().ofType(CALL)).toHaveLength(2)
    // A new Date object with the same time: no new call.
    view.update(
      <>
        <Day id="a" date={new Date(d1.getTime())} />
        <Day id="b" date={d2} />
      </>,
    )
    await act(() => sleep(20))
    expect(suite.wire().ofType(CALL)).toHaveLength(2)
    const d3 = new Date('2026-03-01T00:00:00Z')
    view.update(
      <>
        <Day id="a" date={d3} />
        <Day id="b" date={d2} />
      </>,
    )
    await until('a shows the new date', () => text(view, 'a') === d3.toISOString())
    // The spy sees what the client hands to the serializer: Dates, sent as ISO strings over JSON.
    expect(
      suite
        .wire()
        .ofType(CALL)
        .map((m) => (m[4] as Date[])[0]?.getTime()),
    ).toEqual([d1, d2, d3].map((d) => d.getTime()))
  })

  it('case 3: a class instance in args is an InvalidArgumentError naming its path; nothing is sent', async () => {
    class Point {
      constructor(readonly x: number) {}
    }
    let seen: Error | undefined
    function Bad() {
      const { status, error } = useCall('t.bad', { args: [{ at: new Point(1) }] })
      seen = error
      return <p data-testid="bad">{status}</p>
    }
    const view = mount(<Bad />)
    await until('error', () => text(view, 'bad') === 'error')
    expect(seen).toBeInstanceOf(InvalidArgumentError)
    expect(seen?.message).toContain('a Point instance at args[0].at')
    await act(() => sleep(20))
    expect(suite.wire().ofType(CALL)).toHaveLength(0)
  })

  it('case 10: with enabled: false, a call started by execute() is cancelled on unmount; onSuccess never runs', async () => {
    const callee = await suite.wire().peer()
    const answer = gate()
    let interrupted = 0
    await callee.register('t.manual', async ({ signal }) => {
      signal.addEventListener('abort', () => {
        interrupted += 1
      })
      await answer.promise
      return { args: ['late'] }
    })
    let successes = 0
    let run: (() => Promise<unknown>) | undefined
    function Manual() {
      const { status, execute } = useCall('t.manual', {
        enabled: false,
        onSuccess: () => {
          successes += 1
        },
      })
      run = execute
      return <p data-testid="manual">{status}</p>
    }
    const view = mount(<Manual />)
    await until('idle', () => text(view, 'manual') === 'idle')
    let rejected: unknown
    act(() => {
      run?.().catch((error: unknown) => {
        rejected = error
      })
    })
    await until('the CALL went out', () => suite.wire().ofType(CALL).length === 1)
    expect(text(view, 'manual')).toBe('pending')
    view.unmount()
    await until('a CANCEL went out', () => suite.wire().ofType(CANCEL).length === 1)
    await until('the callee was interrupted', () => interrupted === 1)
    answer.open()
    await act(() => sleep(20))
    expect(successes).toBe(0)
    expect((rejected as Error).name).toBe('AbortError')
  })

  it('case 11: mutate calls with click-time args, never rejects; errors go to state and onError; mutateAsync rejects', async () => {
    const callee = await suite.wire().peer()
    await callee.register('t.restart', ({ args }) => {
      if (args[0] === 'db') throw new RPCError('com.example.busy', ['db is busy'])
      return { args: [`restarted ${args[0]}`] }
    })
    const errors: string[] = []
    const settled: string[] = []
    let api: ReturnType<typeof useCall<string>> | undefined
    function Restart() {
      const call = useCall('t.restart', {
        enabled: false,
        select: (r) => r.args[0] as string,
        onError: (error) => errors.push(error.message),
      })
      api = call
      return <p data-testid="restart">{`${call.status}:${call.data ?? ''}:${call.error?.message ?? ''}`}</p>
    }
    const view = mount(<Restart />)
    await until('idle', () => text(view, 'restart') === 'idle::')
    act(() => api?.mutate({ args: ['web'] }, { onSuccess: (data) => settled.push(data) }))
    await until('success', () => text(view, 'restart') === 'success:restarted web:')
    expect(settled).toEqual(['restarted web'])
    act(() => api?.mutate({ args: ['db'] }, { onSettled: (_data, error) => settled.push(`settled:${error?.message}`) }))
    await until('error', () => text(view, 'restart')?.startsWith('error:restarted web:') === true)
    expect(text(view, 'restart')).toBe('error:restarted web:com.example.busy: db is busy')
    expect(errors).toEqual(['com.example.busy: db is busy'])
    expect(settled).toEqual(['restarted web', 'settled:com.example.busy: db is busy'])
    await expect(api!.mutateAsync({ args: ['db'] })).rejects.toBeInstanceOf(RPCError)
    await expect(api!.mutateAsync({ args: ['cache'] })).resolves.toBe('restarted cache')
    expect(
      suite
        .wire()
        .ofType(CALL)
        .map((m) => m[4]),
    ).toEqual([['web'], ['db'], ['db'], ['cache']])
    // A mutate still running at unmount: cancelled, and nothing unhandled.
    const seen = await slowCallee('t.hang')
    function Hang() {
      const { mutate } = useCall('t.hang', { enabled: false })
      return (
        <button type="button" onClick={() => mutate()}>
          hang
        </button>
      )
    }
    const second = mount(<Hang />)
    act(() => second.getByText('hang').click())
    await until('the hang CALL went out', () => seen.invocations === 1)
    second.unmount()
    await until('the callee was interrupted', () => seen.interrupted === 1)
  })

  it('a key change cancels the old call (one CANCEL) and calls the new key once', async () => {
    await slowCallee('t.slow.a')
    await slowCallee('t.slow.b')
    const statuses: CallStatus[] = []
    function Slow({ procedure }: { procedure: string }) {
      const { status } = useCall(procedure)
      statuses.push(status)
      return <p data-testid="slow">{status}</p>
    }
    const view = mount(<Slow procedure="t.slow.a" />)
    await until('one CALL', () => suite.wire().ofType(CALL).length === 1)
    view.update(<Slow procedure="t.slow.b" />)
    await until(
      'two CALLs and one CANCEL',
      () => suite.wire().ofType(CALL).length === 2 && suite.wire().ofType(CANCEL).length === 1,
    )
    expect(text(view, 'slow')).toBe('pending')
    view.update(null)
    await until('two CANCELs', () => suite.wire().ofType(CANCEL).length === 2)
  })
})

describe('useProgressCall', () => {
  /** A callee streaming chunks when the test says so. */
  async function streamingCallee(procedure: string) {
    const callee = await suite.wire().peer()
    const control = { step: gate(), send: [] as number[], done: false }
    await callee.register(procedure, async ({ progress }) => {
      while (!control.done) {
        await control.step.promise
        for (const n of control.send.splice(0)) progress([n])
      }
      return { args: ['done'] }
    })
    return {
      async send(...chunks: number[]) {
        control.send.push(...chunks)
        const step = control.step
        control.step = gate()
        step.open()
        await act(() => sleep(10))
      },
      async finish() {
        control.done = true
        control.step.open()
        await act(() => sleep(10))
      },
    }
  }

  function Bar({ id, throwAt }: { id: string; throwAt?: number }) {
    const { status, progress, chunkCount, data } = useProgressCall('t.stream', {
      reducer: (sum: number, chunk) => {
        if (chunk.args[0] === throwAt) throw new Error(`reducer of ${id}`)
        return sum + (chunk.args[0] as number)
      },
      initialValue: 0,
      select: (r) => r.args[0] as string,
    })
    return <p data-testid={id}>{`${status}:${progress}:${chunkCount}:${data ?? ''}`}</p>
  }

  it('case 5: a throwing reducer in one component ends only its own call; its neighbour folds every chunk', async () => {
    const stream = await streamingCallee('t.stream')
    const view = mount(
      <>
        <Bar id="thrower" throwAt={2} />
        <Bar id="steady" />
      </>,
    )
    await until('one CALL', () => suite.wire().ofType(CALL).length === 1)
    await stream.send(1, 2, 3)
    await stream.finish()
    await until('steady done', () => text(view, 'steady') === 'success:6:3:done')
    expect(text(view, 'thrower')).toBe('error:1:1:')
    expect(suite.wire().ofType(CALL)).toHaveLength(1)
    expect(suite.wire().ofType(CANCEL)).toHaveLength(0)
  })

  it('case 6: a late joiner of a shared progressive call gets every chunk so far', async () => {
    const stream = await streamingCallee('t.stream')
    function App({ late }: { late: boolean }) {
      return (
        <>
          <Bar id="early" />
          {late && <Bar id="late" />}
        </>
      )
    }
    const view = mount(<App late={false} />)
    await until('one CALL', () => suite.wire().ofType(CALL).length === 1)
    await stream.send(1, 2)
    await until('early at 3', () => text(view, 'early') === 'pending:3:2:')
    view.update(<App late />)
    expect(text(view, 'late')).toBe('pending:3:2:')
    await stream.send(3, 4)
    await stream.finish()
    await until(
      'both done',
      () => text(view, 'early') === 'success:10:4:done' && text(view, 'late') === 'success:10:4:done',
    )
    expect(suite.wire().ofType(CALL)).toHaveLength(1)
  })

  it('case 9: reset() clears progress, data and the chunk count', async () => {
    const stream = await streamingCallee('t.stream')
    let reset: (() => void) | undefined
    function Resettable() {
      const call = useProgressCall('t.stream', {
        reducer: (sum: number, chunk) => sum + (chunk.args[0] as number),
        initialValue: 0,
      })
      reset = call.reset
      return <p data-testid="r">{`${call.status}:${call.progress}:${call.chunkCount}:${call.data ? 'data' : ''}`}</p>
    }
    const view = mount(<Resettable />)
    await stream.send(5, 6)
    await stream.finish()
    await until('done', () => text(view, 'r') === 'success:11:2:data')
    act(() => reset?.())
    expect(text(view, 'r')).toBe('idle:0:0:')
  })
})

describe('useCall status from the first render', () => {
  it('an enabled hook is pending from its first render, and a key change never shows the old outcome as the new one', async () => {
    const callee = await suite.wire().peer()
    await callee.register('t.double', ({ args }) => ({ args: [(args[0] as number) * 2] }))
    const rendered: string[] = []
    function Double({ n }: { n: number }) {
      const { status, data, isPreviousData } = useCall('t.double', { args: [n], select: (r) => r.args[0] as number })
      rendered.push(`${n}:${status}:${data}:${isPreviousData}`)
      return <p data-testid="d">{`${status}:${data}:${isPreviousData}`}</p>
    }
    const view = mount(<Double n={1} />)
    expect(rendered[0]).toBe('1:pending:undefined:false')
    await until('2', () => text(view, 'd') === 'success:2:false')
    view.update(<Double n={5} />)
    // The first render with the new key: pending, the old data kept and flagged as previous.
    expect(rendered.find((line) => line.startsWith('5:'))).toBe('5:pending:2:true')
    await until('10', () => text(view, 'd') === 'success:10:false')
    expect(rendered.filter((line) => line.includes(':idle:'))).toEqual([])
    expect(rendered.filter((line) => line.startsWith('5:success:2'))).toEqual([])
    expect(suite.wire().ofType(CALL)).toHaveLength(2)
  })

  it('a disabled hook whose key changes is idle, keeps its data flagged as previous, and calls nothing', async () => {
    const callee = await suite.wire().peer()
    await callee.register('t.double', ({ args }) => ({ args: [(args[0] as number) * 2] }))
    const rendered: string[] = []
    function Double({ n, enabled }: { n: number; enabled: boolean }) {
      const { status, data, isPreviousData } = useCall('t.double', {
        args: [n],
        enabled,
        select: (r) => r.args[0] as number,
      })
      rendered.push(`${n}:${status}`)
      return <p data-testid="d">{`${status}:${data}:${isPreviousData}`}</p>
    }
    const view = mount(<Double n={1} enabled={false} />)
    expect(text(view, 'd')).toBe('idle:undefined:false')
    view.update(<Double n={1} enabled />)
    await until('2', () => text(view, 'd') === 'success:2:false')
    view.update(<Double n={3} enabled={false} />)
    expect(text(view, 'd')).toBe('idle:2:true')
    await sleep(20)
    expect(text(view, 'd')).toBe('idle:2:true')
    expect(suite.wire().ofType(CALL)).toHaveLength(1)
    expect(rendered.filter((line) => line.startsWith('3:') && !line.endsWith(':idle'))).toEqual([])
    view.update(<Double n={3} enabled />)
    await until('6', () => text(view, 'd') === 'success:6:false')
    expect(suite.wire().ofType(CALL)).toHaveLength(2)
  })
})
