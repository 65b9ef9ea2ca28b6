/**
 * Secrets never appear in logs, errors or debug traces. Authenticated sessions (ticket, wampcra,
 * salted wampcra, cryptosign, and SCRAM with argon2id and PBKDF2 on Crossbar.io) join the real
 * routers' `authrealm` with `debug: true`, once with a capturing logger and once with the default
 * (console) logger under console spies; wrong secrets are refused; a Connection joins and leaves.
 * Everything printed, every error (deeply inspected, causes and stacks included) and every close
 * reason is searched for each secret in every encoding we can derive: as text, hex, base64, byte
 * lists, and the keys derived from it (salted WAMP-CRA key, SCRAM SaltedPassword and ClientKey).
 * On the wire, only a ticket may carry its secret (in AUTHENTICATE, by design).
 */
import { createHmac, pbkdf2Sync } from 'node:crypto'
import { inspect } from 'node:util'
import { argon2id } from '@noble/hashes/argon2.js'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { type AuthMethod, cryptosign, scram, ticket, wampcra } from '../../src/auth/index.js'
import { type Client, connect, type Logger } from '../../src/client/index.js'
import { createConnection } from '../../src/connection/connection.js'
import { CREDENTIALS } from '../routers/types.js'
import { wireSpy } from '../support/wire-spy.js'
import { sleep, type Target, targets } from './targets.js'

const { ticket: T, wampcra: CRA, wampcraSalted: SALTED, cryptosign: CS, scramArgon, scramPbkdf2 } = CREDENTIALS

/** Wrong secrets, distinctive enough to search for. */
const WRONG = {
  ticket: 'wrong-ticket-9f1c',
  wampcra: 'wrong-cra-7d2e',
  salted: 'wrong-salted-5a3b',
  scram: 'wrong-scram-4c8d',
  seed: '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0',
}

interface MethodCase {
  name: string
  /** The right credentials, and wrong ones. */
  right: () => AuthMethod
  wrong: () => AuthMethod
  only?: 'crossbar'
}

const methods: MethodCase[] = [
  {
    name: 'ticket',
    right: () => ticket(T.ticket, { authid: T.authid }),
    wrong: () => ticket(WRONG.ticket, { authid: T.authid }),
  },
  {
    name: 'wampcra',
    right: () => wampcra(CRA.secret, { authid: CRA.authid }),
    wrong: () => wampcra(WRONG.wampcra, { authid: CRA.authid }),
  },
  {
    name: 'wampcra salted',
    right: () => wampcra(SALTED.secret, { authid: SALTED.authid }),
    wrong: () => wampcra(WRONG.salted, { authid: SALTED.authid }),
  },
  {
    name: 'cryptosign',
    right: () => cryptosign(CS.seed, { authid: CS.authid }),
    wrong: () => cryptosign(WRONG.seed, { authid: CS.authid }),
  },
  {
    name: 'scram argon2id',
    right: () => scram(scramArgon.password, { authid: scramArgon.authid }),
    wrong: () => scram(WRONG.scram, { authid: scramArgon.authid }),
    only: 'crossbar',
  },
  {
    name: 'scram pbkdf2',
    right: () => scram(scramPbkdf2.password, { authid: scramPbkdf2.authid }),
    wrong: () => scram(WRONG.scram, { authid: scramPbkdf2.authid }),
    only: 'crossbar',
  },
]

// ---------------------------------------------------------------------------------------------
// The forms a secret can take

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')

/** A secret as text, hex (both cases), base64 (padded, unpadded, url), and its bytes as printed lists. */
function formsOf(bytes: Uint8Array, text?: string): string[] {
  const forms = [
    hex(bytes),
    hex(bytes).toUpperCase(),
    b64(bytes),
    b64(bytes).replace(/=+$/, ''),
    Buffer.from(bytes).toString('base64url'),
  ]
  if (text) forms.push(text)
  // util.inspect / console print bytes as "77, 87, 217, …"; JSON as "77,87,217".
  const head = [...bytes.subarray(0, 12)]
  forms.push(head.join(', '), head.join(','))
  return forms
}

const utf8 = (text: string) => new TextEncoder().encode(text)

/** Every form of every secret, right and wrong, with the keys derived from them that we can compute up front. */
function staticSecrets(): Map<string, string> {
  const all = new Map<string, string>()
  const add = (label: string, forms: string[]) => {
    for (const form of forms) if (form.length >= 8) all.set(form, label)
  }
  for (const [label, text] of [
    ['ticket', T.ticket],
    ['wampcra secret', CRA.secret],
    ['salted wampcra secret', SALTED.secret],
    ['scram password', scramArgon.password],
    ['wrong ticket', WRONG.ticket],
    ['wrong wampcra secret', WRONG.wampcra],
    ['wrong salted secret', WRONG.salted],
    ['wrong scram password', WRONG.scram],
  ] as const) {
    add(label, formsOf(utf8(text), text))
  }
  for (const [label, seed] of [
    ['cryptosign seed', CS.seed],
    ['wrong cryptosign seed', WRONG.seed],
  ] as const) {
    add(label, formsOf(Buffer.from(seed, 'hex')))
  }
  // Salted WAMP-CRA: the derived key (its base64 text is the HMAC key) is as good as the secret.
  for (const [label, secret] of [
    ['salted wampcra key', SALTED.secret],
    ['wrong salted wampcra key', WRONG.salted],
  ] as const) {
    const key = pbkdf2Sync(secret, SALTED.salt, SALTED.iterations, SALTED.keylen, 'sha256')
    add(label, [...formsOf(key), b64(key)])
  }
  return all
}

/** SCRAM: SaltedPassword and ClientKey from the CHALLENGE the router sent (read from the debug trace). */
function scramSecrets(trace: string, password: string): Map<string, string> {
  const derived = new Map<string, string>()
  for (const match of trace.matchAll(/CHALLENGE (\[4,"scram",\{.*?\}\])/g)) {
    const extra = (JSON.parse(match[1]!) as [number, string, Record<string, unknown>])[2]
    const salt = Buffer.from(String(extra.salt), 'base64')
    const iterations = Number(extra.iterations)
    let salted: Uint8Array
    if (extra.kdf === 'pbkdf2') salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256')
    else {
      const hash = argon2id(utf8(password), salt, { t: iterations, m: Number(extra.memory), p: 1, dkLen: 32 })
      salted = utf8(b64(hash).replace(/=+$/, ''))
      for (const form of formsOf(hash)) derived.set(form, 'scram argon2id hash')
    }
    const clientKey = createHmac('sha256', salted).update('Client Key').digest()
    for (const form of formsOf(salted)) derived.set(form, 'scram SaltedPassword')
    for (const form of formsOf(clientKey)) derived.set(form, 'scram ClientKey')
  }
  return derived
}

// ---------------------------------------------------------------------------------------------
// Capture

/** Everything printed through a logger, rendered the way a console would (deeply). */
function capturingLogger(into: string[]): Logger {
  const line =
    (level: string) =>
    (message: string, ...data: unknown[]) =>
      into.push(`${level} ${message} ${data.map(render).join(' ')}`)
  return { debug: line('debug'), warn: line('warn'), error: line('error') }
}

function render(value: unknown): string {
  return typeof value === 'string'
    ? value
    : inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true, getters: true })
}

/** Every console method, spied on for the whole file. */
function spyOnConsole(into: string[]) {
  const names = ['log', 'info', 'debug', 'warn', 'error', 'trace', 'dir'] as const
  return names.map((name) =>
    vi.spyOn(console, name).mockImplementation((...args: unknown[]) => {
      into.push(`console.${name} ${args.map(render).join(' ')}`)
    }),
  )
}

/** Which secrets (labels and the form found) appear in the text; runs of whitespace count as one space. */
function leaks(text: string, secrets: Map<string, string>): string[] {
  const flat = text.replace(/\s+/g, ' ')
  const found: string[] = []
  for (const [form, label] of secrets) if (flat.includes(form)) found.push(`${label} (as ${JSON.stringify(form)})`)
  return found
}

const checked: Record<string, number> = {}
const count = (name: string, n = 1) => {
  checked[name] = (checked[name] ?? 0) + n
}
afterAll(() => {
  console.info(`[secrets] ${JSON.stringify(checked)}`)
})

describe('the search itself', () => {
  it('finds a secret in every form it is printed in', () => {
    const secrets = staticSecrets()
    const seed = Buffer.from(CS.seed, 'hex')
    for (const printed of [
      `ticket ${T.ticket}`,
      render({ key: new Uint8Array(seed) }),
      render(seed.toString('base64')),
      JSON.stringify([...seed]),
      render(new Error('x', { cause: { secret: CRA.secret } })),
      b64(pbkdf2Sync(SALTED.secret, SALTED.salt, SALTED.iterations, SALTED.keylen, 'sha256')),
    ]) {
      expect(leaks(printed, secrets), printed).not.toEqual([])
    }
    expect(leaks('HELLO [1,"authrealm",{}] AUTHENTICATE [5,"<redacted>",{}]', secrets)).toEqual([])
  })
})

describe.each(targets({ transports: ['ws', 'tcp'] }))('secrets stay secret: $label', (target: Target) => {
  const open: Client[] = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => (c.isOpen ? c.close().catch(() => {}) : undefined)))
  })

  const cases = methods.filter((m) => !m.only || m.only === target.router)

  it.each(cases)(
    '$name: joins and leaves, and a wrong secret is refused, with debug on; nothing printed or thrown holds a secret',
    async (method) => {
      const printed: string[] = []
      const consoleOut: string[] = []
      const spies = spyOnConsole(consoleOut)
      const thrown: unknown[] = []
      const spy = wireSpy()
      try {
        const base = { realm: 'authrealm', serialization: target.serialization, debug: true } as const
        const wsOnly =
          target.transport === 'ws' && target.serialization === 'json' ? { createWebSocket: spy.createWebSocket } : {}
        // 1. The right secret, a capturing logger.
        const client = await connect(target.url, {
          ...base,
          ...wsOnly,
          auth: [method.right()],
          logger: capturingLogger(printed),
        })
        open.push(client)
        expect(client.isOpen).toBe(true)
        await client.publish('com.secrets.topic', ['hello'])
        await client.call('com.secrets.nobody.home').catch((error: unknown) => thrown.push(error))
        await client.close()
        thrown.push((await client.closed).error)
        // 2. The right secret, the default logger (console).
        const viaConsole = await connect(target.url, { ...base, ...wsOnly, auth: [method.right()] })
        open.push(viaConsole)
        await viaConsole.close()
        // 3. The wrong secret, both loggers.
        for (const logger of [capturingLogger(printed), undefined]) {
          const refused = await connect(target.url, { ...base, ...wsOnly, auth: [method.wrong()], logger }).then(
            (c) => {
              open.push(c)
              throw new Error(`joined with a wrong ${method.name} secret`)
            },
            (error: unknown) => error,
          )
          expect((refused as { code?: string }).code).toBe('authentication')
          thrown.push(refused)
        }
        // 4. A Connection (its own reconnect and liveness logging), debug on.
        const connection = createConnection({
          ...base,
          ...wsOnly,
          url: target.url,
          auth: [method.right()],
          logger: capturingLogger(printed),
        })
        connection.start()
        for (let i = 0; i < 500 && connection.getSnapshot().status !== 'open'; i++) await sleep(10)
        expect(connection.getSnapshot().status).toBe('open')
        await connection.close()
        // A Connection that can never authenticate: its state carries the error.
        const refusedConnection = createConnection({
          ...base,
          ...wsOnly,
          url: target.url,
          auth: [method.wrong()],
          logger: capturingLogger(printed),
          reconnect: { maxAttempts: 2, initialDelay: 10, maxDelay: 20 },
        })
        refusedConnection.start()
        for (let i = 0; i < 500 && refusedConnection.getSnapshot().status !== 'closed'; i++) await sleep(10)
        expect(refusedConnection.getSnapshot().status).toBe('closed')
        thrown.push(refusedConnection.getSnapshot())
      } finally {
        for (const s of spies) s.mockRestore()
      }

      const trace = [...printed, ...consoleOut].join('\n')
      // The capture is not empty: the handshake was traced, with AUTHENTICATE redacted.
      expect(trace).toContain('HELLO')
      expect(trace).toContain('WELCOME')
      expect(consoleOut.join('\n')).toContain('HELLO')
      expect(trace).toContain('AUTHENTICATE [5,"<redacted>"')
      const secrets = staticSecrets()
      if (method.name.startsWith('scram')) {
        const derived = scramSecrets(trace, scramArgon.password)
        expect(derived.size).toBeGreaterThan(0) // the CHALLENGE was found and the keys derived
        for (const [form, label] of derived) secrets.set(form, label)
        for (const [form, label] of scramSecrets(trace, WRONG.scram)) secrets.set(form, `wrong ${label}`)
      }
      const errors = thrown.map(render).join('\n')
      expect(leaks(trace, secrets), 'in the logs and debug traces').toEqual([])
      expect(leaks(errors, secrets), 'in errors and close infos').toEqual([])
      count('log lines searched', printed.length + consoleOut.length)
      count('errors searched', thrown.length)
      count('secret forms searched for', secrets.size)

      // On the wire (WebSocket/JSON, where the spy reads it): only a ticket travels, in AUTHENTICATE.
      if (spy.sent.length > 0) {
        for (const message of spy.sent) {
          const found = leaks(JSON.stringify(message), secrets)
          if (message[0] === 5 && method.name === 'ticket') {
            // The ticket itself is the signature: the search must find it here.
            expect(found.length).toBeGreaterThan(0)
            expect(found.every((f) => f.startsWith('ticket') || f.startsWith('wrong ticket'))).toBe(true)
          } else expect(found, `in ${JSON.stringify(message).slice(0, 80)}`).toEqual([])
        }
        count('wire messages searched', spy.sent.length)
      }
    },
  )
})
