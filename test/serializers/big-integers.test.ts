import { describe, expect, it } from 'vitest'
import { validateInbound } from '../../src/protocol/validate.js'
import { validateClientMessage } from '../../src/router/validate.js'
import { jsonSerializer as json } from '../../src/serializers/json.js'
import { msgpackSerializer as msgpack } from '../../src/serializers/msgpack.js'

// Issue 16 item 2: integers beyond ±2^53 are exact BigInts in both serializers, never rounded.
const edges = [2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n, -(2n ** 53n) - 1n]

describe('64-bit integers', () => {
  it('JSON decodes integers beyond ±2^53 as exact BigInts, and nothing else', () => {
    const text =
      '[50,1,{"n":-9007199254740993},[9007199254740993,18446744073709551615,-9223372036854775808,' +
      '9223372036854775807,9007199254740992,-9007199254740992,1.5e300,12345678901234567890.5,' +
      '1234567890123456789e2,"99999999999999999999 \\" 99999999999999999999",[-18446744073709551615]]]'
    expect(json.decode(text)).toEqual([
      50,
      1,
      { n: -(2n ** 53n) - 1n },
      [
        2n ** 53n + 1n,
        2n ** 64n - 1n,
        -(2n ** 63n),
        2n ** 63n - 1n,
        2 ** 53,
        -(2 ** 53),
        1.5e300,
        Number('12345678901234567890.5'),
        Number('1234567890123456789e2'),
        '99999999999999999999 " 99999999999999999999',
        [-(2n ** 64n) + 1n],
      ],
    ])
  })

  it('JSON writes a BigInt as its exact digits and reads it back', () => {
    const message = [70, 1, {}, edges, { small: 5n }]
    const text = json.encode(message)
    expect(text).toBe(
      '[70,1,{},[9007199254740993,9223372036854775807,-9223372036854775808,18446744073709551615,-9007199254740993],{"small":5}]',
    )
    expect(json.decode(text)).toEqual([70, 1, {}, edges, { small: 5 }])
  })

  it('JSON writes an integral number beyond 2^53 (a double) in exponent form, so it stays a number', () => {
    const text = json.encode([70, 1, {}, [2 ** 63, -(2 ** 60), 2 ** 53]])
    expect(text).toBe('[70,1,{},[9.223372036854776e+18,-1.152921504606847e+18,9007199254740992]]')
    expect(json.decode(text)).toEqual([70, 1, {}, [2 ** 63, -(2 ** 60), 2 ** 53]])
  })

  it('JSON refuses a BigInt beyond int64/uint64: a 64-bit peer could not parse it', () => {
    expect(() => json.encode([70, 1, {}, [2n ** 64n]])).toThrow(/args\[0\] is a BigInt beyond 64 bits/)
    expect(() => json.encode([70, 1, {}, [-(2n ** 63n) - 1n]])).toThrow(/beyond 64 bits/)
  })

  it('MsgPack round-trips the edges exactly as BigInt, and 2^53 as a number', () => {
    const decoded = msgpack.decode(msgpack.encode([70, 1, {}, [...edges, 2 ** 53]]) as Uint8Array)
    expect(decoded).toEqual([70, 1, {}, [...edges, 2 ** 53]])
  })

  it.each([
    ['json', (m: string) => json.decode(m)],
    // The JSON text's values (BigInts included) as a MsgPack frame.
    ['msgpack', (m: string) => msgpack.decode(msgpack.encode(json.decode(m) as unknown[]) as Uint8Array)],
  ])('%s: an ID beyond 2^53 is a protocol violation, not rounded before the check', (_name, decode) => {
    expect(() => validateClientMessage(decode('[48,9007199254740993,{},"a.b"]'))).toThrow(
      /CALL: Request must be an integer in \[1, 2\^53\]/,
    )
    expect(() => validateInbound(decode('[50,9007199254740993,{}]'))).toThrow(/RESULT: Request must be an integer/)
    expect(() => validateInbound(decode('[2,18446744073709551615,{}]'))).toThrow(/WELCOME: Session must be an integer/)
    expect(validateClientMessage(decode('[48,9007199254740992,{},"a.b"]'))[1]).toBe(2 ** 53)
  })
})
