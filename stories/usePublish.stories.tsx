import type { Meta, StoryObj } from '@storybook/react-vite'
import { type FormEvent, useEffect, useRef, useState } from 'react'
import { usePublish, useSubscription } from '../src/react/index.js'
import { Demo } from './support/Demo.js'
import { ns } from './support/demo.js'
import { describeError, plural } from './support/format.js'
import { Alert, Card, Note } from './support/ui.js'

const CHAT = `${ns}.chat`

/** The log and its input in one card: the subscription shows what the publisher sent. */
export function Chat({ author = 'me' }: { author?: string }) {
  const publish = usePublish(CHAT, { acknowledge: true, exclude_me: false })
  const { status, events, eventCount } = useSubscription(CHAT, { bufferSize: 20 })
  const [text, setText] = useState('')
  const [sending, setSending] = useState(false)
  const [error, setError] = useState<Error>()
  const log = useRef<HTMLUListElement>(null)
  // Keep the newest message in view, as a chat does.
  useEffect(() => {
    if (eventCount > 0 && log.current) log.current.scrollTop = log.current.scrollHeight
  }, [eventCount])

  const send = async (event: FormEvent) => {
    event.preventDefault()
    setError(undefined)
    setSending(true)
    try {
      await publish([text], { author })
      setText('')
    } catch (e) {
      setError(e as Error)
    } finally {
      setSending(false)
    }
  }
  return (
    <Card title="Chat (usePublish)" status={status} testId="chat-card">
      <ul className="rw-list rw-log" data-testid="chat-log" ref={log}>
        {events.length === 0 && <li className="rw-note">No messages yet: say something below.</li>}
        {events.map((e) => (
          <li key={e.publication}>
            <b>{String(e.kwargs.author)}</b>: {String(e.args[0])}
          </li>
        ))}
      </ul>
      <form onSubmit={send} className="rw-row">
        <input
          className="rw-input"
          style={{ flex: '1 1 160px' }}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="Say something"
          aria-label="message"
        />
        <button type="submit" className="rw-btn rw-btn--primary" disabled={!text || sending}>
          Publish
        </button>
      </form>
      {sending && <Note>Sending… while the connection is down a publish waits for the next session (up to 10 s).</Note>}
      {error && <Alert testId="chat-error">Not sent: {describeError(error)}</Alert>}
      <Note>{plural(eventCount, 'message', 'messages')} received on this page.</Note>
    </Card>
  )
}

const meta = {
  parameters: {
    docs: {
      description: {
        component: `\`usePublish(topic, options)\` returns a stable \`publish(args, kwargs, options)\` function for the current session.

| option | meaning |
|---|---|
| \`acknowledge\` | resolve with the publication ID once the broker accepted the event, reject with its ERROR |
| \`exclude_me\` | \`false\` delivers the event to this session's own subscriptions |
| \`exclude\`, \`eligible\`, \`exclude_authid\`, … | publisher exclusion and eligibility, passed through as given |
| \`disclose_me\` | ask the router to disclose the publisher |

While the connection is not open a publish waits for the next session (up to \`waitForSession\`, 10 s by default), is sent once, and rejects if none comes. The log is a \`useSubscription\` to the same topic, in the same card.`,
      },
    },
  },
  title: 'Hooks/usePublish',
  component: Chat,
  excludeStories: ['Chat'],
  decorators: [(Story) => <Demo>{<Story />}</Demo>],
} satisfies Meta<typeof Chat>

export default meta
export const ChatRoom: StoryObj<typeof meta> = { args: { author: 'me' } }
