/**
 * The small byte and WebCrypto toolbox the auth methods share. Everything goes through
 * `globalThis.crypto.subtle`, so the same code runs in Node and in browsers.
 */

const encoder = new TextEncoder()

/** WebCrypto, or an error naming what the platform lacks. */
export function subtle(): SubtleCrypto {
  const subtle = globalThis.crypto?.subtle
  if (subtle === undefined) {
    throw new Error(
      'WAMP authentication needs WebCrypto (globalThis.crypto.subtle): Node.js 20 or later, or a browser page served over https or from localhost',
    )
  }
  return subtle
}

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text)
}

export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length)
  globalThis.crypto.getRandomValues(bytes)
  return bytes
}

/** Canonical base64 (RFC 4648 §4, padded). */
export function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/** Decodes canonical base64; undefined when `text` is not base64. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return undefined
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

export function toHex(bytes: Uint8Array): string {
  let hex = ''
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0')
  return hex
}

/** Decodes hex (either case); undefined when `text` is not hex. */
export function fromHex(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined
  const bytes = new Uint8Array(text.length / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16)
  return bytes
}

export async function hmacSha256(
  key: Uint8Array<ArrayBuffer>,
  data: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  const cryptoKey = await subtle().importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return new Uint8Array(await subtle().sign('HMAC', cryptoKey, data))
}

export async function sha256(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await subtle().digest('SHA-256', data))
}

/** PBKDF2-HMAC-SHA256 with a non-extractable base key, `length` bytes out. */
export async function pbkdf2Sha256(
  password: CryptoKey,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
  length: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const bits = await subtle().deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, password, length * 8)
  return new Uint8Array(bits)
}

/** Imports a password as a non-extractable PBKDF2 base key, so only the CryptoKey has to be kept. */
export function pbkdf2Key(password: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return subtle().importKey('raw', password, 'PBKDF2', false, ['deriveBits'])
}

/** Compares without an early exit, so the time taken does not tell how much matched. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

/** A positive safe integer from a CHALLENGE field, or the default when the field is absent. */
export function positiveInteger(value: unknown, fallback?: number): number | undefined {
  if ((value === undefined || value === null) && fallback !== undefined) return fallback
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined
}
