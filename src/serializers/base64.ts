// The platform's btoa/atob (browsers, Node ≥ 16) do the work: a few bytes instead of a codec of our own.

/** Standard base64 (RFC 4648 §4) with padding. */
export function toBase64(bytes: Uint8Array): string {
  let binary = ''
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/** Decodes standard base64 (padding optional); throws on characters outside the alphabet. */
export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '')
  // atob alone would also take whitespace, which is no base64 of ours.
  const bad = clean.search(/[^A-Za-z0-9+/]/)
  if (bad >= 0) throw new Error(`invalid base64 character at ${bad}`)
  if (clean.length % 4 === 1) throw new Error('invalid base64 length')
  const binary = atob(clean)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}
