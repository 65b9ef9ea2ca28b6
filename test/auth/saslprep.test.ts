import { describe, expect, it } from 'vitest'
import { saslprep } from '../../src/auth/saslprep.js'

describe('saslprep (RFC 4013 §3 examples)', () => {
  it.each([
    ['I\u00ADX', 'IX'], // SOFT HYPHEN mapped to nothing
    ['user', 'user'],
    ['USER', 'USER'], // case preserved
    ['\u00AA', 'a'], // NFKC
    ['\u2168', 'IX'], // NFKC
    ['a\u00A0b\u3000c', 'a b c'], // non-ASCII spaces mapped to SPACE
    ['pass\u200Dword', 'password'], // zero width joiner mapped to nothing
  ])('%j → %j', (input, output) => {
    expect(saslprep(input, 'x')).toBe(output)
  })

  it.each([
    ['\u0007', 'ASCII control'],
    ['a\u0085', 'non-ASCII control'],
    ['\uE000', 'private use'],
    ['\uFDD0', 'non-character'],
    ['\uD800', 'lone surrogate'],
    ['\u2FF0', 'ideographic description'],
    ['\u202E', 'bidi override'],
    ['\u{E0041}', 'tag'],
  ])('prohibits %j (%s)', (input) => {
    expect(() => saslprep(input, 'password')).toThrow(
      'the password contains a character that SASLprep (RFC 4013) prohibits',
    )
  })
})
