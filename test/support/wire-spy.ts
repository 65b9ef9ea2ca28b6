import WebSocket from 'ws'
import type { WebSocketFactory, WebSocketLike } from '../../src/client/index.js'

/** Records every message a client sends over WebSocket (JSON serialization), decoded. */
export function wireSpy() {
  const sent: unknown[][] = []
  const sockets: WebSocket[] = []
  const createWebSocket: WebSocketFactory = (url, protocols) => {
    const socket = new WebSocket(url, protocols)
    sockets.push(socket)
    const send = socket.send.bind(socket)
    socket.send = ((data: string, ...rest: never[]) => {
      sent.push(JSON.parse(data) as unknown[])
      return send(data, ...rest)
    }) as typeof socket.send
    return socket as unknown as WebSocketLike
  }
  return {
    createWebSocket,
    sent,
    sockets,
    /** Messages of one type, e.g. 32 for SUBSCRIBE. */
    ofType: (type: number) => sent.filter((message) => message[0] === type),
  }
}
