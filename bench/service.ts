/**
 * The other side of every measurement, always react-wamp: it registers bench.echo (echoing its
 * arguments) and, once told `publish` on stdin, publishes to bench.events without acknowledge as
 * fast as the router takes them (every 101st publish is acknowledged, which paces the loop to the
 * router). `stop` or the end of stdin ends it; so does a deadline.
 * Usage (by run.ts): node <bundle>/service.mjs, or node --import tsx bench/service.ts '{"url":…,"realm":…,"serialization":…,"maxSeconds":…}'
 */
import { createInterface } from 'node:readline'
import { type Client, connect } from '../src/client/index.js'
import type { Serialization } from './workload.js'
import { emit, PAYLOAD, PROCEDURE, TOPIC } from './workload.js'

interface ServiceConfig {
  url: string
  realm: string
  serialization: Serialization
  maxSeconds: number
}

const config = JSON.parse(process.argv[2] ?? '{}') as ServiceConfig
const payload = PAYLOAD as unknown[]
const BATCH = 100

function fail(error: unknown): never {
  emit({ type: 'error', message: error instanceof Error ? error.message : String(error) })
  process.exit(1)
}

let publishing = false

async function publishLoop(client: Client): Promise<void> {
  publishing = true
  while (publishing) {
    for (let i = 0; i < BATCH; i++) client.publish(TOPIC, payload).catch(fail)
    await client.publish(TOPIC, payload, undefined, { acknowledge: true })
  }
}

async function main(): Promise<void> {
  const client = await connect(config.url, { realm: config.realm, serialization: config.serialization })
  await client.register(PROCEDURE, (invocation) => ({ args: invocation.args }))
  const lines = createInterface({ input: process.stdin })
  lines.on('line', (command) => {
    if (command === 'publish' && !publishing) publishLoop(client).catch(fail)
    if (command === 'stop') finish()
  })
  lines.on('close', finish)
  emit({ type: 'ready' })
}

function finish(): void {
  publishing = false
  process.exit(0)
}

setTimeout(() => fail(new Error('service deadline passed')), config.maxSeconds * 1000).unref()
main().catch(fail)
