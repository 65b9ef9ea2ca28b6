import { useState } from 'react'
import { byteSize, clockTime } from './format.js'
import { MessageInspector } from './MessageInspector.js'
import { filterMessages } from './message-log.js'
import type { Recorder } from './recorder.js'

/** Rows drawn at most: the log may hold more; the newest are shown. */
const SHOWN = 200

/** The live message log: filter, pause, clear, and an inspector for one message. */
export function MessagesSection({ recorder, onChange }: { recorder: Recorder; onChange: () => void }) {
  const [filter, setFilter] = useState('')
  const [selected, setSelected] = useState<number>()
  const { log } = recorder
  const matching = filterMessages(log.entries(), filter)
  const shown = matching.slice(-SHOWN).reverse()
  const inspected = selected === undefined ? undefined : log.entries().find((entry) => entry.seq === selected)
  return (
    <section data-testid="devtools-messages">
      <h4>Messages</h4>
      <div className="rwd__row">
        <input
          className="rwd__input"
          aria-label="filter messages"
          placeholder="filter: CALL, com.example, ← in …"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
        />
        <button
          type="button"
          className="rwd__btn"
          onClick={() => {
            recorder.paused = !recorder.paused
            onChange()
          }}
        >
          {recorder.paused ? 'Resume' : 'Pause'}
        </button>
        <button
          type="button"
          className="rwd__btn"
          onClick={() => {
            log.clear()
            setSelected(undefined)
            onChange()
          }}
        >
          Clear
        </button>
        <span className="rwd__note" data-testid="devtools-message-count">
          {matching.length} of {log.size} kept ({log.total} seen{recorder.paused ? ', paused' : ''}
          {recorder.skipped > 0 ? `, ${recorder.skipped} skipped while paused` : ''})
        </span>
      </div>
      <ul className="rwd__log">
        {shown.map((entry) => (
          <li key={entry.seq}>
            <button
              type="button"
              className="rwd__msg"
              aria-current={entry.seq === selected}
              data-name={entry.name}
              data-direction={entry.direction}
              onClick={() => setSelected(entry.seq === selected ? undefined : entry.seq)}
            >
              <span>{clockTime(entry.at)}</span>
              <span className={entry.direction === 'in' ? 'rwd__in' : 'rwd__out'}>
                {entry.direction === 'in' ? '←' : '→'}
              </span>
              <span>{entry.name}</span>
              <span>{entry.summary}</span>
              <span>{byteSize(entry.size)}</span>
            </button>
          </li>
        ))}
      </ul>
      {shown.length === 0 && <p className="rwd__note">No messages{filter ? ' match' : ' yet'}.</p>}
      {inspected && <MessageInspector entry={inspected} onClose={() => setSelected(undefined)} />}
    </section>
  )
}
