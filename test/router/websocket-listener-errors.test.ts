/**
 * The router's WebSocket listener under the socket-error rule (src/transports/socket-errors.ts):
 * a peer that offers an unknown subprotocol, then sends a malformed frame, must not end the
 * process. Runs in a child process, which must live on and exit 0.
 */
import { describe, expect, it } from 'vitest'
import { runChild, SRC } from '../support/child.js'

describe('listenWebSocket and a peer with an unknown subprotocol and a malformed frame (issue 17, case 2)', () => {
  it('the listener closes that socket and the process lives on; a real client still joins', async () => {
    const outcome = await runChild(`
      import { connect as tcp } from 'node:net'
      import { connect } from '${SRC}/client/index.js'
      import { createRouter, listenWebSocket } from '${SRC}/router/index.js'
      const router = createRouter({ realms: { realm1: {} } })
      const listener = await listenWebSocket(router)
      // An opening handshake by hand: the only subprotocol offered is unknown.
      const socket = tcp({ host: '127.0.0.1', port: listener.port })
      socket.on('error', () => {})
      await new Promise((resolve) => socket.once('connect', resolve))
      socket.write(
        'GET /ws HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\nSec-WebSocket-Version: 13\\r\\n' +
          'Sec-WebSocket-Protocol: wamp.2.unknown\\r\\n\\r\\n',
      )
      const reply = await new Promise<string>((resolve) => socket.once('data', (data) => resolve(String(data))))
      console.log('upgraded', reply.startsWith('HTTP/1.1 101'))
      // A malformed frame: unmasked (a client must mask) with a reserved opcode.
      socket.write(Uint8Array.of(0x83, 0x02, 0x01, 0x02))
      await new Promise((resolve) => socket.once('close', resolve))
      console.log('peer closed')
      const client = await connect(listener.url, { realm: 'realm1' })
      console.log('joined', client.id > 0)
      await client.close()
      await router.close?.()
      await listener.close()
      console.log('alive')
    `)
    expect(outcome.stderr).not.toMatch(/Unhandled|uncaught|Error:/i)
    expect(outcome.stdout).toMatch(/upgraded true/)
    expect(outcome.stdout).toMatch(/peer closed/)
    expect(outcome.stdout).toMatch(/joined true/)
    expect(outcome.stdout).toMatch(/alive/)
    expect(outcome).toMatchObject({ code: 0, signal: null })
  })
})
