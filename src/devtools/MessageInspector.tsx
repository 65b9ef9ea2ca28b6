import { byteSize, clockTime } from './format.js'
import type { LoggedMessage } from './message-log.js'

/** One message in full (as kept: secrets redacted, payloads cut). */
export function MessageInspector({ entry, onClose }: { entry: LoggedMessage; onClose: () => void }) {
  let text: string
  try {
    text = JSON.stringify(entry.message, null, 2) ?? String(entry.message)
  } catch {
    text = '<unprintable>'
  }
  return (
    <div data-testid="devtools-inspector">
      <div className="rwd__row">
        <b>
          {entry.direction === 'in' ? '← received' : '→ sent'} {entry.name}
        </b>
        <span>{entry.summary}</span>
        <span className="rwd__note">
          {clockTime(entry.at)} · {byteSize(entry.size)}
        </span>
        <button type="button" className="rwd__btn" onClick={onClose}>
          Close
        </button>
      </div>
      <pre>{text}</pre>
    </div>
  )
}
