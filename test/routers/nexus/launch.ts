import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../ports.js'
import type { RouterOptions, RunningRouter } from '../types.js'
import { ensureNexus } from './install.js'

const READY_TIMEOUT_MS = 60_000
const STDERR_TAIL_BYTES = 8192

/** Every child still running; SIGKILLed when this process exits, however the tests end. */
const live = new Set<ChildProcess>()
let exitHookInstalled = false
function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL')
  })
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

/** Spawns the router and resolves once it printed READY; rejects with its stderr tail if it dies or hangs. */
function spawnRouter(binary: string, args: string[]): Promise<ChildProcess> {
  // stdin stays an open pipe: the router exits when it closes, so it dies with us even after a SIGKILL.
  const child = spawn(binary, [...args, '-exit-on-stdin-eof'], { stdio: ['pipe', 'pipe', 'pipe'] })
  live.add(child)
  child.once('exit', () => live.delete(child))
  let stderr = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES)
  })
  child.stdin?.on('error', () => {}) // EPIPE once the child is gone

  return new Promise((resolve, reject) => {
    let stdout = ''
    const fail = (why: string) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(new Error(`nexus test router ${why}\n--- stderr tail ---\n${stderr}`))
    }
    const timer = setTimeout(() => fail(`printed no READY within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS)
    const onData = (chunk: string) => {
      stdout += chunk
      if (!/^READY$/m.test(stdout)) return
      clearTimeout(timer)
      child.off('close', onExit)
      resolve(child)
    }
    const onExit = (code: number | null, signal: string | null) =>
      fail(`exited before READY (code ${code}, signal ${signal})`)
    child.stdout?.setEncoding('utf8')
    child.stdout?.on('data', onData) // keeps draining stdout after READY too
    child.once('close', onExit) // 'close', not 'exit': stderr has been read to the end by then
    child.once('error', (error) => fail(`could not start: ${error.message}`))
  })
}

/** A free port that is none of `taken` (the kernel may hand out a port again once it is closed). */
async function distinctFreePort(taken: number[]): Promise<number> {
  let port = await freePort()
  while (taken.includes(port)) port = await freePort()
  taken.push(port)
  return port
}

/**
 * Starts the nexus test router on free ports of 127.0.0.1 (WebSocket, RawSocket TCP and unix);
 * with `options.tls` also TLS WebSocket (`wssUrl`) and TLS RawSocket (`tcpsUrl`).
 */
export async function startNexus(options: RouterOptions = {}): Promise<RunningRouter> {
  installExitHook()
  const binary = await ensureNexus()
  const ports: number[] = []
  const wsPort = await distinctFreePort(ports)
  const tcpPort = await distinctFreePort(ports)
  // Short path: unix socket paths are limited to ~100 bytes.
  const dir = mkdtempSync(join(tmpdir(), 'nx-'))
  const socketPath = join(dir, 'r.sock')
  const args = ['-ws-port', String(wsPort), '-tcp-port', String(tcpPort), '-unix', socketPath]
  let wssPort: number | undefined
  let tcpsPort: number | undefined
  if (options.tls) {
    wssPort = await distinctFreePort(ports)
    tcpsPort = await distinctFreePort(ports)
    const certPath = join(dir, 'server.crt')
    const keyPath = join(dir, 'server.key')
    writeFileSync(certPath, options.tls.cert)
    writeFileSync(keyPath, options.tls.key, { mode: 0o600 })
    args.push('-wss-port', String(wssPort), '-tcps-port', String(tcpsPort), '-tls-cert', certPath, '-tls-key', keyPath)
  }

  const cleanup = () => rmSync(dir, { recursive: true, force: true })
  process.once('exit', cleanup)
  let child: ChildProcess | undefined
  try {
    child = await spawnRouter(binary, args)
  } catch (error) {
    cleanup()
    process.off('exit', cleanup)
    throw error
  }
  let stopped = false

  const kill = async () => {
    if (!child) return
    const c = child
    child = undefined
    c.kill('SIGKILL')
    await exited(c)
  }

  return {
    name: 'nexus',
    wsUrl: `ws://127.0.0.1:${wsPort}/ws`,
    tcpUrl: `tcp://127.0.0.1:${tcpPort}`,
    unixUrl: `unix://${socketPath}`,
    ...(wssPort ? { wssUrl: `wss://127.0.0.1:${wssPort}/ws` } : {}),
    ...(tcpsPort ? { tcpsUrl: `tcps://127.0.0.1:${tcpsPort}` } : {}),
    realm: 'realm1',
    noDiscloseRealm: 'realm2',
    authRealm: 'authrealm',
    kill,
    async restart() {
      if (stopped) throw new Error('nexus test router was stopped')
      await kill()
      rmSync(socketPath, { force: true }) // stale after SIGKILL
      child = await spawnRouter(binary, args)
    },
    async stop() {
      if (stopped) return
      stopped = true
      const c = child
      child = undefined
      if (c) {
        c.kill('SIGTERM')
        const timer = setTimeout(() => c.kill('SIGKILL'), 3000)
        await exited(c)
        clearTimeout(timer)
      }
      cleanup()
      process.off('exit', cleanup)
    },
  }
}
