/** A status word in a coloured pill. */
export function Badge({ status }: { status: string }) {
  return <span className={`rwd__badge rwd__badge--${status}`}>{status}</span>
}
