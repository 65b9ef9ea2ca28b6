/**
 * The socket-error rule (src/transports/socket-errors.ts): no socket of the library ever throws
 * an unhandled 'error' event. Each case runs in a child process, which must live on and exit 0.
 */
import { describe, expect, it } from 'vitest'
import { runChild, SRC } from '../support/child.js'

describe('a router that accepts TCP but never completes the handshake (issue 17, case 1)', () => {
  it('connect() rejects at the open timeout over ws:// and tcp://, a connection retries, and the process lives on', async () => {
    const outcome = await runChild(`
      import { createServer, type Socket } from 'node:net'
      import { connect, ConnectionLostError } from '${SRC}/client/index.js'
      const sockets: Socket[] = []
      // Accepts the TCP connection, reads the handshake, never answers.
      const server = createServer((socket) => {
        sockets.push(socket)
        socket.on('error', () => {})
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      const { port } = server.address() as { port: number }
      for (const url of ['ws://127.0.0.1:' + port + '/ws', 'tcp://127.0.0.1:' + port]) {
        const error = await connect(url, { realm: 'realm1', responseTimeout: 150 }).catch((e: unknown) => e)
        console.log('rejected', url.split(':')[0], error instanceof ConnectionLostError, (error as Error).message)
      }
      // A connection retries through the same path: three open timeouts in a row.
      const { createConnection } = await import('${SRC}/connection/index.js')
      const connection = createConnection({
        url: 'ws://127.0.0.1:' + port + '/ws',
        realm: 'realm1',
        responseTimeout: 100,
        liveness: false,
        reconnect: { initialDelay: 10, maxDelay: 10 },
      })
      connection.start()
      while (connection.getSnapshot().attempt < 3) await new Promise((resolve) => setTimeout(resolve, 20))
      console.log('connection attempts', connection.getSnapshot().attempt, connection.getSnapshot().error?.message)
      await connection.close()
      // Any late 'error' event of the abandoned sockets fires in here.
      await new Promise((resolve) => setTimeout(resolve, 300))
      for (const socket of sockets) socket.destroy()
      server.close()
      console.log('alive')
    `)
    expect(outcome.stderr).not.toMatch(/Unhandled|uncaught|Error:/i)
    expect(outcome.stdout).toMatch(/rejected ws true could not open ws:\/\/127\.0\.0\.1:\d+\/ws within 150 ms/)
    expect(outcome.stdout).toMatch(
      /rejected tcp true no RawSocket handshake from tcp:\/\/127\.0\.0\.1:\d+ within 150 ms/,
    )
    expect(outcome.stdout).toMatch(/connection attempts 3 could not open ws:\/\/127\.0\.0\.1:\d+\/ws within 100 ms/)
    expect(outcome.stdout).toMatch(/alive/)
    expect(outcome).toMatchObject({ code: 0, signal: null })
  })
})
