/**
 * Nothing a router sends can pollute a prototype or make the client evaluate code: hostile keys
 * (__proto__, constructor, prototype, toString…) at every depth, decoded by every serializer and
 * handed through a session to handlers; forged "inherited" options the client must not read; and
 * code-looking strings, with eval and Function watched.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { encode as msgpackEncode } from '@msgpack/msgpack'
import { encode as cborEncode } from 'cborg'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { wampcra } from '../../src/auth/index.js'
import { createClient } from '../../src/client/connect.js'
import { type Event, type Invocation, ProtocolViolationError } from '../../src/client/index.js'
import { cborSerializer } from '../../src/serializers/cbor.js'
import { jsonSerializer } from '../../src/serializers/json.js'
import { msgpackSerializer } from '../../src/serializers/msgpack.js'
import {
  failOnUnhandled,
  flush,
  fuzzCounter,
  fuzzParams,
  prototypeChanges,
  prototypeSnapshot,
  scaled,
} from '../reliability/support.js'
import { FakeRouter, quietLogger } from '../support/fake-router.js'
import { objectOf } from './frames.js'
import { fakeRouterWire, fakeSocketWire, sentRequest } from './harness.js'

const count = fuzzCounter('prototype-pollution')

let before: Map<string, string>
failOnUnhandled()
beforeEach(() => {
  before = prototypeSnapshot()
})
afterEach(() => {
  expect(prototypeChanges(before, prototypeSnapshot())).toEqual([])
})

function expectNoPollution(): void {
  expect(prototypeChanges(before, prototypeSnapshot())).toEqual([])
  const probe = {} as Record<string, unknown>
  for (const name of ['polluted', 'isAdmin', 'roles', 'progress', 'timeout', 'broker']) {
    expect(probe[name], name).toBeUndefined()
  }
}

/** Every object reachable in a decoded value is a plain object with Object.prototype (or a list, or bytes). */
function expectPlain(value: unknown, path = '$'): void {
  if (Array.isArray(value)) {
    expect(Object.getPrototypeOf(value), path).toBe(Array.prototype)
    for (const [i, item] of value.entries()) expectPlain(item, `${path}[${i}]`)
  } else if (value instanceof Uint8Array) {
    expect(Object.getPrototypeOf(value), path).toBe(Uint8Array.prototype)
  } else if (typeof value === 'object' && value !== null) {
    expect(Object.getPrototypeOf(value), path).toBe(Object.prototype)
    for (const key of Object.keys(value)) expectPlain((value as Record<string, unknown>)[key], `${path}.${key}`)
  }
}

/** A template-literal placeholder, as text: harmless unless something evaluates it. */
const TEMPLATE_PAYLOAD = `$${'{'}globalThis.polluted = 1}`

const hostileKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'isAdmin',
  'polluted',
)
/** Nested documents whose keys are mostly hostile, some values code-looking strings, some bytes. */
const hostile: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 5 },
    fc.constantFrom(true, 1, null, 'x', 'process.exit(1)', TEMPLATE_PAYLOAD, "');polluted=1;('"),
    fc.uint8Array({ maxLength: 6 }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc
      .array(
        fc.tuple(fc.oneof({ weight: 3, arbitrary: hostileKey }, { weight: 1, arbitrary: fc.string() }), tie('value')),
        {
          minLength: 1,
          maxLength: 4,
        },
      )
      .map(objectOf),
  ),
})).value

describe('decoding hostile dictionaries', () => {
  it(
    'JSON: __proto__, constructor, … stay own data keys at every depth (also on the binary-rule walk)',
    () => {
      fc.assert(
        fc.property(hostile, fc.boolean(), (doc, withBytes) => {
          count('json documents')
          // Bytes anywhere make the decoder walk and rewrite the whole message.
          const message = [36, 1, 1, doc, withBytes ? [Uint8Array.of(1, 2, 3)] : [], doc]
          const text = jsonSerializer.encode(message) as string
          const decoded = jsonSerializer.decode(text) as unknown[]
          expectPlain(decoded)
          expect(JSON.stringify(jsonSerializer.encode(decoded))).toBe(JSON.stringify(text))
          expectNoPollution()
        }),
        fuzzParams(2000, 60_000, 31),
      )
    },
    scaled(30_000, 900_000),
  )

  it(
    'MsgPack: a __proto__ key is refused (DecodeError); every other key stays an own data key',
    () => {
      fc.assert(
        fc.property(hostile, (doc) => {
          count('msgpack documents')
          const bytes = msgpackEncode([36, 1, 1, doc])
          let decoded: unknown
          try {
            decoded = msgpackSerializer.decode(bytes)
          } catch (error) {
            count('msgpack documents refused')
            expect(String(error)).toMatch(/__proto__/)
            expect(JSON.stringify(doc)).toContain('"__proto__"')
            expectNoPollution()
            return
          }
          expect(JSON.stringify(doc)).not.toContain('"__proto__"')
          expectPlain(decoded)
          expectNoPollution()
        }),
        fuzzParams(2000, 60_000, 32),
      )
    },
    scaled(30_000, 900_000),
  )
})

describe('decoding hostile CBOR maps', () => {
  it(
    'CBOR: __proto__, constructor, … stay own data keys at every depth',
    () => {
      fc.assert(
        fc.property(hostile, (doc) => {
          count('cbor documents')
          const decoded = cborSerializer.decode(cborEncode([36, 1, 1, doc, [doc], doc])) as unknown[]
          expectPlain(decoded)
          // cborg writes map keys sorted: the same keys and values, in another order.
          expect(decoded).toEqual([36, 1, 1, doc, [doc], doc])
          expectNoPollution()
        }),
        fuzzParams(2000, 60_000, 33),
      )
    },
    scaled(30_000, 900_000),
  )
})

describe('hostile payloads through a session', () => {
  it(
    'EVENT, INVOCATION, RESULT and ERROR payloads with hostile keys reach handlers as plain data; no prototype changes (both wires, every serializer)',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('json', 'msgpack', 'cbor', 'decoded'),
          hostile,
          fc.boolean(),
          async (via, doc, debug) => {
            count(`session documents (${via})`)
            const joined = via === 'decoded' ? await fakeRouterWire(debug) : await fakeSocketWire(via, debug)
            const { client, wire } = joined
            const events: Event[] = []
            const invocations: Invocation[] = []
            const subscribing = client.subscribe('com.hostile.topic', (event) => {
              events.push(event)
              // What handlers commonly do with what they get.
              void { ...event.kwargs }
              void JSON.stringify(event.details)
            })
            wire.deliverMessage(33, 1, 100)
            await subscribing
            const registering = client.register('com.hostile.proc', (invocation) => {
              invocations.push(invocation)
              return { args: [invocation.args], kwargs: invocation.kwargs }
            })
            await sentRequest(wire, 64, 2)
            wire.deliverMessage(65, 2, 200)
            await registering
            const call = client.call('com.hostile.call').then(
              (r) => r,
              (e: unknown) => e,
            )
            const failing = client.call('com.hostile.fail').then(
              (r) => r,
              (e: unknown) => e,
            )
            const kwargs = objectOf([['k', doc]])
            const details = objectOf([['d', doc]])
            if (via === 'msgpack' && JSON.stringify(doc).includes('"__proto__"')) {
              // MsgPack refuses such a frame: the session ends with protocol_violation, nothing is polluted.
              wire.deliverMessage(36, 100, 1, details, [doc], kwargs)
              await flush()
              expect((await client.closed).reason).toBe('wamp.error.protocol_violation')
              expectNoPollution()
              return
            }
            wire.deliverMessage(36, 100, 1, details, [doc], kwargs)
            wire.deliverMessage(68, 9, 200, details, [doc], kwargs)
            wire.deliverMessage(50, 3, details, [doc], kwargs)
            wire.deliverMessage(8, 48, 4, details, 'com.app.error', [doc], kwargs)
            await flush()
            expect(client.isOpen).toBe(true)
            expect(events).toHaveLength(1)
            expect(invocations).toHaveLength(1)
            for (const value of [events[0]!.details, events[0]!.args, events[0]!.kwargs, invocations[0]!.kwargs]) {
              expectPlain(value)
            }
            expectPlain(await call)
            expect(((await failing) as { kwargs: unknown }).kwargs).toBeDefined()
            expectPlain(((await failing) as { kwargs: unknown }).kwargs)
            // The YIELD echoed the hostile payload back to the router.
            expect(wire.sent.at(-1)![0]).toBe(70)
            expectNoPollution()
            client.terminate()
          },
        ),
        fuzzParams(600, 20_000, 33),
      )
    },
    scaled(30_000, 900_000),
  )

  it('forged "inherited" options are not read: __proto__.progress, .timeout, .topic, .procedure, .receive_progress', async () => {
    const { client, wire } = await fakeRouterWire()
    const forged = (inner: Record<string, unknown>) => JSON.parse(`{"__proto__": ${JSON.stringify(inner)}}`)
    let event: Event | undefined
    const subscribing = client.subscribe('com.real.topic', (e) => {
      event = e
    })
    wire.deliverMessage(33, 1, 100)
    await subscribing
    let invocation: Invocation | undefined
    let progressError: unknown
    const registering = client.register('com.real.proc', async (i) => {
      invocation = i
      try {
        i.progress(['x'])
      } catch (error) {
        progressError = error
      }
      await new Promise((resolve) => setTimeout(resolve, 30))
      return { args: ['done'] }
    })
    await sentRequest(wire, 64, 2)
    wire.deliverMessage(65, 2, 200)
    await registering
    const progress: unknown[] = []
    const call = client.call('com.real.call', [], {}, { onProgress: (r) => progress.push(r) })
    wire.deliver(JSON.parse('[50, 3, {"__proto__": {"progress": true}}, ["final"]]'))
    expect((await call).args).toEqual(['final'])
    expect(progress).toEqual([])
    wire.deliver([36, 100, 1, forged({ topic: 'com.evil.topic' })])
    await flush()
    expect(event!.topic).toBe('com.real.topic')
    wire.deliver([68, 7, 200, forged({ procedure: 'com.evil.proc', timeout: 1, receive_progress: true })])
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(invocation!.procedure).toBe('com.real.proc')
    expect(progressError).toBeInstanceOf(Error) // the caller did not ask for progress
    expect(wire.sent.at(-1)).toEqual([70, 7, {}, ['done']]) // no 1 ms timeout: the handler finished
    expectNoPollution()
    client.terminate()
  })

  it('a WELCOME whose roles exist only behind a forged __proto__ is refused', async () => {
    for (const welcome of [
      '{"roles": {"__proto__": {"broker": {}, "dealer": {}}}}',
      '{"__proto__": {"roles": {"broker": {}}}}',
    ]) {
      const router = new FakeRouter()
      const joining = createClient(router, { realm: 'realm1', logger: quietLogger() }).catch((e: unknown) => e)
      await router.nextSent(1)
      router.deliverRaw([2, 1, JSON.parse(welcome)])
      expect(await joining).toBeInstanceOf(ProtocolViolationError)
    }
    expectNoPollution()
  })

  it('a wampcra CHALLENGE with a forged __proto__.salt is answered unsalted (own fields only)', async () => {
    const sign = async (extra: unknown) =>
      (await wampcra('secret').respond({ method: 'wampcra', extra: extra as Record<string, unknown> })).signature
    const plain = await sign({ challenge: 'c' })
    const forged = await sign(
      JSON.parse('{"challenge": "c", "__proto__": {"salt": "s", "iterations": 1, "keylen": 1}}'),
    )
    expect(forged).toBe(plain)
    expectNoPollution()
  })
})

describe('no code is evaluated', () => {
  it('eval and the Function constructor are never called while code-looking frames go through a session', async () => {
    const calls: string[] = []
    // biome-ignore lint/security/noGlobalEval: eval is wrapped (and restored) to prove the library never calls it.
    const realEval = globalThis.eval
    const RealFunction = globalThis.Function
    const functionPrototype = RealFunction.prototype
    const realConstructor = functionPrototype.constructor
    const watchedEval = (code: unknown) => {
      calls.push(`eval ${String(code)}`)
      return realEval(code as string)
    }
    const WatchedFunction = ((...parts: string[]) => {
      calls.push(`Function ${parts.join(',')}`)
      return RealFunction(...parts)
    }) as unknown as FunctionConstructor
    try {
      globalThis.eval = watchedEval
      globalThis.Function = WatchedFunction
      // `x.constructor.constructor(code)` reaches Function through this property.
      Object.defineProperty(functionPrototype, 'constructor', {
        value: WatchedFunction,
        configurable: true,
        writable: true,
      })
      expect({}.constructor.constructor).toBe(WatchedFunction) // the watch is in place
      const payloads = [
        'process.exit(1)',
        '"); globalThis.polluted = 1; ("',
        TEMPLATE_PAYLOAD,
        'constructor.constructor("globalThis.polluted = 1")()',
        '__proto__',
      ]
      for (const via of ['json', 'msgpack', 'cbor'] as const) {
        for (const debug of [false, true]) {
          const { client, wire } = await fakeSocketWire(via, debug)
          const subscribing = client.subscribe('com.code.topic', () => {})
          wire.deliverMessage(33, 1, 100)
          await subscribing
          for (const code of payloads) {
            count('code-looking frames')
            wire.deliverMessage(36, 100, 1, { [code]: code }, [code], { [code]: code })
            wire.deliverMessage(68, 5, 999, { procedure: code }, [code])
            wire.deliverMessage(8, 48, 1, {}, code, [code])
          }
          await flush()
          client.terminate()
        }
      }
    } finally {
      globalThis.eval = realEval
      globalThis.Function = RealFunction
      Object.defineProperty(functionPrototype, 'constructor', {
        value: realConstructor,
        configurable: true,
        writable: true,
      })
    }
    expect(calls).toEqual([])
    expect((globalThis as { polluted?: unknown }).polluted).toBeUndefined()
    expectNoPollution()
  })

  it('no source file of the library, nor the MsgPack and CBOR packages, contains eval, new Function or a string timer', () => {
    const root = join(import.meta.dirname, '../..')
    const files: string[] = []
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name)
        if (statSync(path).isDirectory()) walk(path)
        else if (/\.(ts|tsx|mjs|js)$/.test(name)) files.push(path)
      }
    }
    walk(join(root, 'src'))
    walk(join(root, 'node_modules/@msgpack/msgpack/dist.esm'))
    walk(join(root, 'node_modules/cborg/lib'))
    expect(files.some((file) => file.endsWith('cborg/lib/decode.js'))).toBe(true)
    expect(files.length).toBeGreaterThan(50)
    const offenders = files.filter((file) =>
      /\beval\s*\(|new\s+Function\s*\(|\bFunction\s*\(\s*['"`]|set(Timeout|Interval)\s*\(\s*['"`]/.test(
        readFileSync(file, 'utf8'),
      ),
    )
    expect(offenders).toEqual([])
  })
})
