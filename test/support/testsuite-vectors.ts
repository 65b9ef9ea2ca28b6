import { readFileSync } from 'node:fs'

/** One sample of testsuite.json's `frames` (see derive-testsuite.py). */
export interface VectorFrame {
  file: string
  sample: number
  name: string
  type: number
  expected: Record<string, unknown>
  json: string[]
  msgpack: string[]
  cbor: string[]
}

export interface VectorValidation {
  file: string
  sample: number
  name: string
  message: unknown[]
  violation: string | null
}

const file = new URL('../fixtures/wamp-vectors/testsuite.json', import.meta.url)
export const testsuite = JSON.parse(readFileSync(file, 'utf8')) as {
  frames: VectorFrame[]
  validation: VectorValidation[]
  sequences: { name: string; steps: { from: string; to: string; message: Record<string, unknown> }[] }[]
}

/**
 * The attribute names of the vectors for each message's positions, written from the spec's
 * message table: a test's own reading of a message, independent of the library.
 */
const layouts: Record<number, string[]> = {
  1: ['realm', 'details'],
  2: ['session_id', 'details'],
  3: ['details', 'reason', 'args', 'kwargs'],
  4: ['method', 'extra'],
  5: ['signature', 'extra'],
  6: ['details', 'reason'],
  8: ['request_type', 'request_id', 'details', 'error', 'args', 'kwargs'],
  16: ['request_id', 'options', 'topic', 'args', 'kwargs'],
  17: ['request_id', 'publication_id'],
  32: ['request_id', 'options', 'topic'],
  33: ['request_id', 'subscription_id'],
  34: ['request_id', 'subscription_id'],
  35: ['request_id'],
  36: ['subscription', 'publication', 'details', 'args', 'kwargs'],
  48: ['request_id', 'options', 'procedure', 'args', 'kwargs'],
  49: ['request_id', 'options'],
  50: ['request_id', 'details', 'args', 'kwargs'],
  64: ['request_id', 'options', 'procedure'],
  65: ['request_id', 'registration_id'],
  66: ['request_id', 'registration_id'],
  67: ['request_id'],
  68: ['request_id', 'registration_id', 'details', 'args', 'kwargs'],
  69: ['request_id', 'options'],
  70: ['request_id', 'options', 'args', 'kwargs'],
  337: ['publication_id'],
}

/**
 * A decoded message read as the vectors' attributes: absent Arguments/ArgumentsKw are null, a
 * binary value in place of Arguments is `payload`, HELLO/WELCOME roles are lifted out of Details.
 */
export function attributesOf(message: unknown[]): Record<string, unknown> {
  const type = message[0] as number
  const names = layouts[type]
  if (!names) throw new Error(`no layout for message type ${type}`)
  const out: Record<string, unknown> = { message_type: type }
  names.forEach((name, i) => {
    const value = message[i + 1]
    if (name === 'args' && value instanceof Uint8Array) {
      out.payload = new Uint8Array(value)
      out.args = null
    } else if (name === 'args' || name === 'kwargs') out[name] = value ?? null
    else if (value !== undefined) out[name] = value
  })
  if (type === 1 || type === 2) {
    out.roles = (out.details as { roles?: unknown }).roles
    delete out.details
  }
  return out
}

/** The vector's expected attributes with bytes as Uint8Array; a null `payload` means none. */
export function expectedOf(frame: VectorFrame): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(frame.expected)) {
    if (key === 'payload' && value === null) continue
    out[key] =
      typeof value === 'object' && value !== null && '$bytes' in value
        ? new Uint8Array(Buffer.from((value as { $bytes: string }).$bytes, 'hex'))
        : value
  }
  return out
}

/**
 * What a message must hold for the vector: every expected attribute, and nothing the vector
 * leaves out (no payload, no Arguments or ArgumentsKw it does not name).
 */
export function wanted(frame: VectorFrame): Record<string, unknown> {
  const expected = expectedOf(frame)
  const layout = layouts[frame.type] ?? []
  for (const name of ['args', 'kwargs']) if (layout.includes(name) && !(name in expected)) expected[name] = null
  return expected
}
