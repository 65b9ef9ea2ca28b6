/**
 * The React layer's cost: 200 mounted components subscribed to 50 topics while events arrive at
 * 2,000 per second for 5 seconds, on the in-process router (React's own work is what is measured).
 * Reports renders per event of a subscribed component, renders of components whose topic had no
 * event (target 0), and events `onEvent` missed (target 0).
 *
 *   BENCH_REACT_SECONDS=5   length of the event stream
 */
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
}

const COMPONENTS = 200
const TOPICS = 50
const SILENT_TOPICS = 10
const EVENTS_PER_SECOND = 2000

/** Runs the scenario in this process, with React's production build and a happy-dom document. */
export async function measureReactCost(seconds = Number(process.env.BENCH_REACT_SECONDS || 5)): Promise<ReactCost> {
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
  const perTick = (EVENTS_PER_SECOND * tickMs) / 1000
  const started = performance.now()
  let sent = 0
  while (performance.now() - started < seconds * 1000) {
    for (let i = 0; i < perTick; i++) {
      const topic = sent % activeTopics
      published[topic]! += 1
      sent += 1
      void publisher.publish(`bench.react.t${topic}`, [sent])
    }
    const next = started + (sent / perTick) * tickMs
    await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())))
  }
  await publisher.publish('bench.react.flush', [], {}, { acknowledge: true })
  await new Promise((r) => setTimeout(r, 300))

  const perEvent: number[] = []
  let silentRenders = 0
  let lost = 0
  let uncounted = 0
  for (let i = 0; i < COMPONENTS; i++) {
    const topic = i % TOPICS
    const extra = renders[i]! - rendersAtStart[i]!
    if (topic >= activeTopics) silentRenders += extra
    else perEvent.push(extra / published[topic]!)
    lost += published[topic]! - seen[i]!
    uncounted += published[topic]! - counted[i]!
  }
  perEvent.sort((a, b) => a - b)
  root.unmount()
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
