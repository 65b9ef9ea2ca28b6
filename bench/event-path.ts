/**
 * The client's own cost per EVENT, in process: frames decoded by the session's serializer and handed
 * to a joined client over a scripted transport, no socket. Prints ns per event for JSON and MsgPack,
 * then JSON with the devtools recording (what a mounted <WampDevtools /> does per message).
 * `npx tsx bench/event-path.ts` (compare two checkouts by running it in each).
 */
import { createClient, type MessageTap } from '../src/client/index.js'
import { EventRates, InvocationsInFlight, MessageLog, recordMessage } from '../src/devtools/index.js'
import { loadSerializer } from '../src/serializers/index.js'
import type { Transport, TransportReceiver } from '../src/transports/transport.js'

const N = 200_000

/** The devtools' recorder, as a mounted panel runs it on every message. */
function devtoolsTap(): MessageTap {
  const recorder = {
    log: new MessageLog(500),
    rates: new EventRates(),
    invocations: new InvocationsInFlight(),
    paused: false,
  }
  return (direction, message) => void recordMessage(recorder, direction, message)
}

async function measure(name: 'json' | 'msgpack', tap?: MessageTap): Promise<number> {
  const serializer = await loadSerializer(name)
  let receiver: TransportReceiver | undefined
  const sent: unknown[][] = []
  const transport: Transport = {
    serialization: name,
    closed: new Promise(() => {}),
    send: (message) => void sent.push([...message]),
    listen: (r) => {
      receiver = r
    },
    close: () => {},
  }
  const joining = createClient(transport, { realm: 'realm1', logger: { debug() {}, warn() {}, error() {} }, tap })
  await new Promise((resolve) => setTimeout(resolve, 0))
  const welcome = { roles: { broker: { features: {} }, dealer: { features: {} } } }
  receiver!.message(serializer.decode(serializer.encode([2, 4242, welcome])))
  const client = await joining
  let received = 0
  const subscribing = client.subscribe('bench.events', () => {
    received += 1
  })
  await new Promise((resolve) => setTimeout(resolve, 0))
  const request = sent.at(-1)![1] as number
  receiver!.message(serializer.decode(serializer.encode([33, request, 7000001])))
  await subscribing
  const frame = serializer.encode([36, 7000001, 4503599627370496 + 12345, {}, [1, 'hello', { a: 1 }]])
  const run = (count: number) => {
    for (let i = 0; i < count; i++) receiver!.message(serializer.decode(frame))
  }
  run(20_000) // warm-up
  const start = process.cpuUsage()
  run(N)
  const used = process.cpuUsage(start)
  if (received !== N + 20_000) throw new Error(`received ${received}`)
  return ((used.user + used.system) * 1000) / N
}

const runs = [
  ['json', 'json', undefined],
  ['msgpack', 'msgpack', undefined],
  ['json + devtools recording', 'json', devtoolsTap],
] as const
for (const [label, name, tap] of runs) {
  const rounds: number[] = []
  for (let i = 0; i < 5; i++) rounds.push(await measure(name, tap?.()))
  rounds.sort((a, b) => a - b)
  console.log(
    `${label}: ${rounds[2]!.toFixed(0)} ns per event (median of 5; ${rounds.map((r) => r.toFixed(0)).join(', ')})`,
  )
}
process.exit(0)
