/**
 * SASLprep (RFC 4013, the "stringprep" profile of RFC 3454) for WAMP-SCRAM user names and
 * passwords: map, NFKC-normalize, refuse prohibited characters. Not implemented: the check for
 * unassigned code points (a query may contain them) and the bidirectional-text rule (RFC 3454 §6),
 * which needs the Unicode Bidi_Class table; strings that would fail it do not authenticate anyway.
 */

/** RFC 3454 C.1.2: non-ASCII spaces, mapped to U+0020. */
const NON_ASCII_SPACE = /[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/gu
/** RFC 3454 B.1: commonly mapped to nothing. */
// biome-ignore lint/suspicious/noMisleadingCharacterClass: each code point is removed on its own (u flag)
const MAPPED_TO_NOTHING = /[\u00AD\u034F\u1806\u180B-\u180D\u200B-\u200D\u2060\uFE00-\uFE0F\uFEFF]/gu
/** RFC 4013 §2.3: C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8 and C.9. */
const PROHIBITED = new RegExp(
  [
    '[\\u00A0\\u1680\\u2000-\\u200B\\u202F\\u205F\\u3000]', // C.1.2
    '[\\u0000-\\u001F\\u007F]', // C.2.1
    '[\\u0080-\\u009F\\u06DD\\u070F\\u180E\\u200C\\u200D\\u2028\\u2029\\u2060-\\u2063\\u206A-\\u206F\\uFEFF\\uFFF9-\\uFFFC\\u{1D173}-\\u{1D17A}]', // C.2.2
    '[\\uE000-\\uF8FF\\u{F0000}-\\u{FFFFD}\\u{100000}-\\u{10FFFD}]', // C.3
    '[\\uFDD0-\\uFDEF\\uFFFE\\uFFFF\\u{1FFFE}\\u{1FFFF}\\u{2FFFE}\\u{2FFFF}\\u{3FFFE}\\u{3FFFF}\\u{4FFFE}\\u{4FFFF}\\u{5FFFE}\\u{5FFFF}\\u{6FFFE}\\u{6FFFF}\\u{7FFFE}\\u{7FFFF}\\u{8FFFE}\\u{8FFFF}\\u{9FFFE}\\u{9FFFF}\\u{AFFFE}\\u{AFFFF}\\u{BFFFE}\\u{BFFFF}\\u{CFFFE}\\u{CFFFF}\\u{DFFFE}\\u{DFFFF}\\u{EFFFE}\\u{EFFFF}\\u{FFFFE}\\u{FFFFF}\\u{10FFFE}\\u{10FFFF}]', // C.4
    '[\\uD800-\\uDFFF]', // C.5 (lone surrogates; in /u mode pairs are whole code points)
    '[\\uFFF9-\\uFFFD]', // C.6
    '[\\u2FF0-\\u2FFB]', // C.7
    '[\\u0340\\u0341\\u200E\\u200F\\u202A-\\u202E\\u206A-\\u206F]', // C.8
    '[\\u{E0001}\\u{E0020}-\\u{E007F}]', // C.9
  ].join('|'),
  'u',
)

/**
 * Prepares `text`; throws when it holds a prohibited character. `what` names the string in the
 * error ("password", "authid"), which never quotes the string itself.
 */
export function saslprep(text: string, what: string): string {
  const prepared = text.replace(NON_ASCII_SPACE, ' ').replace(MAPPED_TO_NOTHING, '').normalize('NFKC')
  if (PROHIBITED.test(prepared)) {
    throw new Error(`the ${what} contains a character that SASLprep (RFC 4013) prohibits`)
  }
  return prepared
}
