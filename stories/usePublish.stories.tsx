import type { Meta, StoryObj } from '@storybook/react-vite'
import { type FormEvent, useState } from 'react'
import { usePublish, useSubscription } from '../src/react/index.js'
import { Demo, panel } from './support/Demo.js'
import { ns } from './support/demo.js'

const CHAT = `${ns}.chat`

function ChatForm({ author }: { author: string }) {
  const publish = usePublish(CHAT, { acknowledge: true, exclude_me: false })
  const [text, setText] = useState('')
  const [error, setError] = useState<string>()
  const send = async (event: FormEvent) => {
    event.preventDefault()
    setError(undefined)
    try {
      await publish([text], { author })
      setText('')
    } catch (e) {
      setError((e as Error).message)
    }
  }
  return (
    <form onSubmit={send} style={panel}>
      <input value={text} onChange={(e) => setText(e.target.value)} placeholder="Say something" aria-label="message" />{' '}
      <button type="submit" disabled={!text}>
        Publish
      </button>
      {error && <p role="alert">{error}</p>}
    </form>
  )
}

function ChatLog() {
  const { events } = useSubscription(CHAT, { bufferSize: 10 })
  return (
    <ul style={panel} data-testid="chat-log">
      {events.map((e) => (
        <li key={e.publication}>
          <b>{String(e.kwargs.author)}</b>: {String(e.args[0])}
        </li>
      ))}
    </ul>
  )
}

export function Chat({ author = 'me' }: { author?: string }) {
  return (
    <>
      <ChatForm author={author} />
      <ChatLog />
    </>
  )
}

const meta = {
  parameters: {
    docs: {
      description: {
        component: `\`usePublish(topic, options)\` returns a stable \`publish(args, kwargs, options)\` function for the current session.

| option | meaning |
|---|---|
| \`acknowledge\` | resolve when the broker accepted the event, reject with its ERROR |
| \`exclude_me\` | \`false\` delivers the event to this session's own subscriptions |
| \`exclude\`, \`eligible\`, \`exclude_authid\`, … | publisher exclusion and eligibility, passed through as given |
| \`disclose_me\` | ask the router to disclose the publisher |

It rejects at once when the session is not open (nothing is queued).`,
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
