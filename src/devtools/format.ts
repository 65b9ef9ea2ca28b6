/** `12:03:04.567`, local time. */
export function clockTime(at: number): string {
  const date = new Date(at)
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`
}

/** `850 ms`, `3.2 s`. */
export function duration(ms: number): string {
  return ms < 1000 ? `${Math.max(0, Math.round(ms))} ms` : `${(ms / 1000).toFixed(1)} s`
}

/** `512 B`, `1.5 kB`. */
export function byteSize(bytes: number): string {
  return bytes < 1000 ? `${bytes} B` : `${(bytes / 1000).toFixed(1)} kB`
}

/** A short one-line JSON of options or arguments; `—` when empty. */
export function compactJson(value: unknown, max = 80): string {
  if (value === undefined) return '—'
  let text: string
  try {
    text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? '—'
  } catch {
    return '<unprintable>'
  }
  if (text === '{}' || text === '[]') return '—'
  return text.length > max ? `${text.slice(0, max)}…` : text
}
