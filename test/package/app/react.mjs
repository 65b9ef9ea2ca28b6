// The React entry, server-rendered: the provider renders `idle` and opens no socket.
import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { useWampSession, WampProvider } from 'react-wamp'

function Status() {
  return createElement('p', null, useWampSession().status)
}
const app = createElement(WampProvider, { url: 'ws://127.0.0.1:9/ws', realm: 'realm1' }, createElement(Status))
console.log(JSON.stringify({ html: renderToString(app) }))
