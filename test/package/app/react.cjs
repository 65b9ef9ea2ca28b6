// The React entry through require().
const { createElement } = require('react')
const { renderToString } = require('react-dom/server')
const { useWampSession, WampProvider } = require('react-wamp')

function Status() {
  return createElement('p', null, useWampSession().status)
}
const app = createElement(WampProvider, { url: 'ws://127.0.0.1:9/ws', realm: 'realm1' }, createElement(Status))
console.log(JSON.stringify({ html: renderToString(app) }))
