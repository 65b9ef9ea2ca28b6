/**
 * The bytes of a stream, received in chunks and read from the front (RawSocket reassembly).
 * Each byte is copied at most once: bytes within one chunk are read as a view, bytes that span
 * chunks are joined once, when the whole read is there. (Joining everything buffered on every
 * chunk made a 16 MiB message in small chunks quadratic.)
 */
export class ByteQueue {
  /** Bytes buffered and not read yet. */
  length = 0
  /** Bytes copied so far to join chunks: at most what was read, so reassembly stays linear. */
  copied = 0
  private chunks: Buffer[] = []
  /** Bytes of `chunks[0]` already read. */
  private offset = 0

  push(chunk: Buffer): void {
    if (chunk.length === 0) return
    this.chunks.push(chunk)
    this.length += chunk.length
  }

  /** Removes and returns the first `n` bytes (`n` ≤ `length`): a view when they sit in one chunk, else one copy. */
  take(n: number): Buffer {
    if (n > this.length) throw new RangeError(`cannot take ${n} of ${this.length} buffered bytes`)
    this.length -= n
    const first = this.chunks[0]
    if (first && first.length - this.offset >= n) {
      const view = first.subarray(this.offset, this.offset + n)
      this.offset += n
      if (this.offset === first.length) {
        this.chunks.shift()
        this.offset = 0
      }
      return view
    }
    const pieces: Buffer[] = []
    let needed = n
    let used = 0
    while (needed > 0) {
      const chunk = this.chunks[used]!
      const available = chunk.length - this.offset
      const part = Math.min(available, needed)
      pieces.push(chunk.subarray(this.offset, this.offset + part))
      needed -= part
      if (part === available) {
        used += 1
        this.offset = 0
      } else {
        this.offset += part
      }
    }
    // One splice per read, not one shift per chunk.
    this.chunks.splice(0, used)
    this.copied += n
    return Buffer.concat(pieces, n)
  }
}
