/**
 * The `authrealm` of the local test router: ticket, WAMP-CRA (plain and salted) and cryptosign for the
 * users in CREDENTIALS, through the router's `authenticate` hook and its CHALLENGE. The first of the
 * client's authmethods that is supported is used (as nexus does); failures carry nexus's messages.
 */
import { createHmac, createPublicKey, pbkdf2Sync, randomBytes, timingSafeEqual, verify } from 'node:crypto'
import type { HelloInfo, Identity } from '../../../src/router/index.js'
import { CREDENTIALS } from '../types.js'

const AUTHROLE = 'user'

type Method = (hello: HelloInfo, authid: string) => Promise<void>

const methods: Record<string, Method> = { ticket, wampcra, cryptosign }

export async function authenticate(hello: HelloInfo): Promise<Identity> {
  const method = hello.authmethods.find((name) => name in methods)
  if (!method) throw new Error('could not authenticate with any method')
  if (!hello.authid) throw new Error('missing authid')
  await methods[method]!(hello, hello.authid)
  return { authid: hello.authid, authrole: AUTHROLE, authmethod: method, authprovider: 'static' }
}

async function ticket(hello: HelloInfo, authid: string): Promise<void> {
  const { signature } = await hello.challenge('ticket', {})
  const { ticket: expected, authid: user } = CREDENTIALS.ticket
  if (authid !== user || !same(signature, expected)) throw new Error('invalid ticket')
}

async function wampcra(hello: HelloInfo, authid: string): Promise<void> {
  const { wampcra: plain, wampcraSalted: salted } = CREDENTIALS
  const extra: Record<string, unknown> = {}
  // An unknown user still gets a challenge, so the answer does not tell which users exist.
  let key = randomBytes(16).toString('base64')
  if (authid === plain.authid) key = plain.secret
  if (authid === salted.authid) {
    key = pbkdf2Sync(salted.secret, salted.salt, salted.iterations, salted.keylen, 'sha256').toString('base64')
    Object.assign(extra, { salt: salted.salt, iterations: salted.iterations, keylen: salted.keylen })
  }
  const challenge = JSON.stringify({
    nonce: randomBytes(16).toString('base64'),
    authprovider: 'static',
    authid,
    timestamp: new Date().toISOString(),
    authrole: AUTHROLE,
    authmethod: 'wampcra',
    session: hello.session,
  })
  const { signature } = await hello.challenge('wampcra', { challenge, ...extra })
  const expected = createHmac('sha256', key).update(challenge).digest('base64')
  if (!same(signature, expected)) throw new Error('invalid signature')
}

async function cryptosign(hello: HelloInfo, authid: string): Promise<void> {
  const { authid: user, pubkey } = CREDENTIALS.cryptosign
  if (authid !== user) throw new Error('failed to retrieve key')
  const challenge = randomBytes(32)
  const { signature } = await hello.challenge('cryptosign', { challenge: challenge.toString('hex') })
  const signed = /^[0-9a-f]{192}$/i.test(signature) ? Buffer.from(signature, 'hex') : undefined
  if (!signed) throw new Error('signed message has invalid length (should be 96 bytes, hex)')
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(pubkey, 'hex').toString('base64url') },
    format: 'jwk',
  })
  const valid = signed.subarray(64).equals(challenge) && verify(null, challenge, key, signed.subarray(0, 64))
  if (!valid) throw new Error('invalid signature')
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
