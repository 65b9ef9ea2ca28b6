/**
 * The client's own cost per EVENT, in process: frames decoded by the session's serializer and handed
 * to a joined client over a scripted transport, no socket. Prints ns per event for JSON and MsgPack.
 * `npx tsx bench/event-path.ts` (compare two checkouts by running it in each).
 */
import { createClient } from '../src/client/index.js'
import { loadSerializer } from '../src/serializers/index.js'
import type { Transport, TransportReceiver } from '../src/transports/transport.js'

const N = 200_000

async function measure(name: 'json' | 'msgpack'): Promise<number> {
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
  const joining = createClient(transport, { realm: 'realm1', logger: { debug() {}, warn() {}, error() {} } })
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

for (const name of ['json', 'msgpack'] as const) {
  const rounds: number[] = []
  for (let i = 0; i < 5; i++) rounds.push(await measure(name))
  rounds.sort((a, b) => a - b)
  console.log(
    `${name}: ${rounds[2]!.toFixed(0)} ns per event (median of 5; ${rounds.map((r) => r.toFixed(0)).join(', ')})`,
  )
}
process.exit(0)
