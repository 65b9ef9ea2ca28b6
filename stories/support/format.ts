import { ConnectionLostError, RPCError, WampAbortError, WampError } from '../../src/client/index.js'

// One formatter each, made once: Intl.NumberFormat is costly to build and cheap to reuse.
const integer = new Intl.NumberFormat('en-US')
const price = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 0 })
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 })

export const formatCount = (n: number): string => integer.format(n)
/** "1 event", "1,204 events". */
export const plural = (n: number, one: string, many: string): string => `${integer.format(n)} ${n === 1 ? one : many}`
export const formatPrice = (n: number | undefined): string =>
  n === undefined || !Number.isFinite(n) ? '–' : price.format(n)
const change = new Intl.NumberFormat('en-US', {
  style: 'percent',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
  signDisplay: 'exceptZero',
})

/** A ratio (0.012) as a signed percentage ("+1.20%"). */
export const formatChange = (ratio: number): string => change.format(ratio)
/** `value` in 0..100. */
export const formatPercent = (value: number): string => percent.format(value / 100)
/** A duration as "850 ms" or "2.4 s" (SI symbols: Intl's unit style spells "sec"). */
export const formatMs = (ms: number): string =>
  ms >= 1000 ? `${oneDecimal.format(ms / 1000)} s` : `${integer.format(Math.round(ms))} ms`

/** A sentence for an error the demos show: what kind of failure, then its message. */
export function describeError(error: Error): string {
  if (error instanceof WampAbortError) return `Cancelled: ${error.message}`
  if (error instanceof RPCError) return `${error.uri}: ${String(error.args[0] ?? error.message)}`
  if (error instanceof ConnectionLostError) return `Connection lost: ${error.message}`
  if (error instanceof WampError) return `${error.code}: ${error.message}`
  return error.message
}
