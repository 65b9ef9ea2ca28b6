/**
 * The React layer's cost: 200 mounted components subscribed to 50 topics while events arrive at
 * 2,000 per second for 5 seconds, on the in-process router (React's own work is what is measured).
 * Reports renders per event of a subscribed component, renders of components whose topic had no
 * event (target 0), and events `onEvent` missed (target 0).
 *
 * The high-rate scenario (issue 15): 10,000 events/s into the same 200 components, without and
 * with `coalesce: 'frame'` (a 60 Hz requestAnimationFrame clock stands in for the browser's):
 * renders per component per second, and the main thread's busy time (event-loop utilization) and
 * the process's CPU time (all threads) per second. Run alone: `npx tsx bench/react-cost.ts`.
 *
 *   BENCH_REACT_SECONDS=5   length of the event stream
 */
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { Window } from 'happy-dom'

export interface ReactCost {
  components: number
  topics: number
  silentTopics: number
  eventsPublished: number
  seconds: number
  /** Renders of a component per event on its topic (after mounting), median over components. */
  rendersPerEvent: number
  /** Renders of the components whose topic had no event, after mounting. */
  rendersOfSilentComponents: number
  /** Events published to a component's topic that its onEvent did not see, summed. */
  eventsLost: number
  /** Events a component's `eventCount` did not count, summed. */
  eventsUncounted: number
  react: string
  eventsPerSecond: number
  coalesce: boolean
  /** Renders of a subscribed component per second of the stream, median over components. */
  rendersPerComponentPerSecond: number
  /** Main-thread busy time (event-loop utilization × wall time), ms per second of the stream. */
  mainThreadMsPerSecond: number
  /** Process CPU time (user + system, all threads), ms per second of the stream. */
  cpuMsPerSecond: number
  /** Events published per second, as achieved. */
  achievedEventsPerSecond: number
}

export interface ReactCostScenario {
  eventsPerSecond?: number
  /** Components use `coalesce: 'frame'`, with a 60 Hz requestAnimationFrame clock. */
  coalesce?: boolean
  /**
   * Each event published in a macrotask of its own, as WebSocket messages arrive in a browser
   * (otherwise a 10 ms tick's events go out together and React batches their renders).
   */
  taskPerEvent?: boolean
}

/** A browser-like frame clock: callbacks queued, run together every 1000/60 ms. Returns its stop. */
function installFrameClock(globals: Record<string, unknown>): () => void {
  let queue = new Map<number, (time: number) => void>()
  let next = 1
  globals.requestAnimationFrame = (callback: (time: number) => void) => {
    queue.set(next, callback)
    return next++
  }
  globals.cancelAnimationFrame = (id: number) => queue.delete(id)
  const timer = setInterval(() => {
    const due = queue
    queue = new Map()
    for (const callback of due.values()) callback(performance.now())
  }, 1000 / 60)
  return () => {
    clearInterval(timer)
    delete globals.requestAnimationFrame
    delete globals.cancelAnimationFrame
  }
}

const COMPONENTS = 200
const TOPICS = 50
const SILENT_TOPICS = 10
const EVENTS_PER_SECOND = 2000

/** Runs the scenario in this process, with React's production build and a happy-dom document. */
export async function measureReactCost(
  seconds = Number(process.env.BENCH_REACT_SECONDS || 5),
  { eventsPerSecond = EVENTS_PER_SECOND, coalesce = false, taskPerEvent = false }: ReactCostScenario = {},
): Promise<ReactCost> {
  process.env.NODE_ENV = 'production'
  const window = new Window({ url: 'http://127.0.0.1/' })
  const globals = globalThis as Record<string, unknown>
  globals.window = window
  globals.document = window.document
  globals.navigator ??= window.navigator
  globals.IS_REACT_ACT_ENVIRONMENT = false

  const React = await import('react')
  const { createRoot } = await import('react-dom/client')
  const { createRouter } = await import('../src/router/index.js')
  const { connectLocal } = await import('../src/client/index.js')
  const { WampProvider, useSubscription } = await import('../src/react/index.js')

  const router = createRouter({ realms: { bench: {} } })
  const renders = new Array<number>(COMPONENTS).fill(0)
  const seen = new Array<number>(COMPONENTS).fill(0)
  const counted = new Array<number>(COMPONENTS).fill(0)
  const active = new Array<boolean>(COMPONENTS).fill(false)
  const topicOf = (i: number) => `bench.react.t${i % TOPICS}`

  function Widget({ index }: { index: number }) {
    renders[index]! += 1
    const { eventCount, status } = useSubscription(topicOf(index), {
      bufferSize: 0,
      ...(coalesce ? { coalesce: 'frame' as const } : {}),
      onEvent: () => {
        seen[index]! += 1
      },
    })
    counted[index] = eventCount
    active[index] = status === 'active'
    return React.createElement('span', null, eventCount)
  }

  const container = window.document.createElement('div')
  window.document.body.appendChild(container)
  const stopFrames = coalesce ? installFrameClock(globals) : undefined
  const root = createRoot(container as unknown as Element)
  const open = (_url: string | undefined, config: Parameters<typeof connectLocal>[1]) => connectLocal(router, config)
  root.render(
    React.createElement(
      WampProvider,
      { realm: 'bench', open, liveness: false },
      Array.from({ length: COMPONENTS }, (_, i) => React.createElement(Widget, { key: i, index: i })),
    ),
  )

  const publisher = await connectLocal(router, { realm: 'bench' })
  const deadline = Date.now() + 10_000
  while (!active.every(Boolean)) {
    if (Date.now() > deadline) throw new Error('the widgets did not subscribe within 10 s')
    await new Promise((r) => setTimeout(r, 20))
  }
  await new Promise((r) => setTimeout(r, 100))
  const rendersAtStart = [...renders]

  const activeTopics = TOPICS - SILENT_TOPICS
  const published = new Array<number>(TOPICS).fill(0)
  const tickMs = 10
  const perTick = (eventsPerSecond * tickMs) / 1000
  const elu = performance.eventLoopUtilization()
  const cpu = process.cpuUsage()
  const started = performance.now()
  let sent = 0
  while (performance.now() - started < seconds * 1000) {
    for (let i = 0; i < perTick; i++) {
      const topic = sent % activeTopics
      published[topic]! += 1
      sent += 1
      void publisher.publish(`bench.react.t${topic}`, [sent])
      if (taskPerEvent) await new Promise((r) => setImmediate(r))
    }
    const next = started + (sent / perTick) * tickMs
    await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())))
  }
  const streamed = (performance.now() - started) / 1000
  await publisher.publish('bench.react.flush', [], {}, { acknowledge: true })
  // Busy time and CPU until the last event is shown (the frame after the flush), per second of stream.
  await new Promise((r) => setTimeout(r, 50))
  const busy = performance.eventLoopUtilization(elu)
  const cpuUsed = process.cpuUsage(cpu)
  await new Promise((r) => setTimeout(r, 250))

  const perEvent: number[] = []
  const perSecond: number[] = []
  let silentRenders = 0
  let lost = 0
  let uncounted = 0
  for (let i = 0; i < COMPONENTS; i++) {
    const topic = i % TOPICS
    const extra = renders[i]! - rendersAtStart[i]!
    if (topic >= activeTopics) silentRenders += extra
    else {
      perEvent.push(extra / published[topic]!)
      perSecond.push(extra / streamed)
    }
    lost += published[topic]! - seen[i]!
    uncounted += published[topic]! - counted[i]!
  }
  perEvent.sort((a, b) => a - b)
  perSecond.sort((a, b) => a - b)
  root.unmount()
  stopFrames?.()
  await publisher.close()
  await window.happyDOM.close()
  return {
    components: COMPONENTS,
    topics: TOPICS,
    silentTopics: SILENT_TOPICS,
    eventsPublished: sent,
    seconds,
    rendersPerEvent: perEvent[Math.floor(perEvent.length / 2)] ?? 0,
    rendersOfSilentComponents: silentRenders,
    eventsLost: lost,
    eventsUncounted: uncounted,
    react: React.version,
    eventsPerSecond,
    coalesce,
    rendersPerComponentPerSecond: perSecond[Math.floor(perSecond.length / 2)] ?? 0,
    mainThreadMsPerSecond: busy.active / streamed,
    cpuMsPerSecond: (cpuUsed.user + cpuUsed.system) / 1000 / streamed,
    achievedEventsPerSecond: sent / streamed,
  }
}

/** The BENCHMARKS.md section. */
export function renderReactCost(cost: ReactCost): string {
  return [
    '## React cost',
    '',
    `${cost.components} components (React ${cost.react}, production build, happy-dom) subscribed with \`useSubscription\``,
    `to ${cost.topics} topics (${cost.silentTopics} of them never published to), ${cost.eventsPublished} events over`,
    `${cost.seconds} s (${EVENTS_PER_SECOND}/s) on the in-process router.`,
    '',
    '| figure | value | target |',
    '|---|---|---|',
    `| renders per event, subscribed component (median) | ${cost.rendersPerEvent.toFixed(2)} | ≤ 1 |`,
    `| renders of components whose topic had no event | ${cost.rendersOfSilentComponents} | 0 |`,
    `| events missed by \`onEvent\` | ${cost.eventsLost} | 0 |`,
    `| events missing from \`eventCount\` | ${cost.eventsUncounted} | 0 |`,
    '',
  ].join('\n')
}

/** The high-rate section: the same scenario at `eventsPerSecond`, without and with coalescing. */
export function renderHighRate(without: ReactCost, withFrames: ReactCost): string {
  const row = (name: string, pick: (c: ReactCost) => string) => `| ${name} | ${pick(without)} | ${pick(withFrames)} |`
  return [
    `| figure (${without.eventsPerSecond} events/s asked, ${without.seconds} s) | without coalescing | \`coalesce: 'frame'\` (60 Hz) |`,
    '|---|---|---|',
    row('events/s published (achieved)', (c) => c.achievedEventsPerSecond.toFixed(0)),
    row('renders per subscribed component per second (median)', (c) => c.rendersPerComponentPerSecond.toFixed(1)),
    row('renders per event, subscribed component (median)', (c) => c.rendersPerEvent.toFixed(3)),
    row('main thread busy, ms per second', (c) => c.mainThreadMsPerSecond.toFixed(0)),
    row('process CPU (all threads), ms per second', (c) => c.cpuMsPerSecond.toFixed(0)),
    row('events missed by `onEvent` / by `eventCount`', (c) => `${c.eventsLost} / ${c.eventsUncounted}`),
    row('renders of components whose topic had no event', (c) => String(c.rendersOfSilentComponents)),
  ].join('\n')
}

// Run alone: the high-rate scenario, without then with coalescing.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rate = Number(process.env.BENCH_REACT_RATE || 10_000)
  const without = await measureReactCost(undefined, { eventsPerSecond: rate, taskPerEvent: true })
  const withFrames = await measureReactCost(undefined, { eventsPerSecond: rate, taskPerEvent: true, coalesce: true })
  console.log(renderHighRate(without, withFrames))
}
