/**
 * How deep a WAMP message may nest, the message list itself being level 1. It is what the nexus
 * router accepts (measured: 1023 levels pass, 1024 are dropped, in JSON and MsgPack); Crossbar.io
 * accepts more. Our serializers encode and MsgPack decodes exactly this much, and our router
 * refuses a deeper message, so whatever it accepts it can also deliver.
 */
export const MAX_NESTING = 1023

/** True when the message nests lists and dictionaries deeper than MAX_NESTING levels. */
export function nestsTooDeep(message: readonly unknown[]): boolean {
  return deeperThan(message, MAX_NESTING - 1)
}

/** True when `value`, a container, holds containers more than `room` levels down. */
function deeperThan(value: object, room: number): boolean {
  const items = Array.isArray(value) ? value : Object.values(value)
  for (const item of items) {
    if (typeof item !== 'object' || item === null || ArrayBuffer.isView(item)) continue
    if (room === 0 || deeperThan(item, room - 1)) return true
  }
  return false
}
