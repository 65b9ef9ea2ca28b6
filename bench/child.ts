import { type ChildProcess, spawn } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LINE_MARK } from './workload.js'

const repoDir = join(dirname(fileURLToPath(import.meta.url)), '..')
const STDERR_TAIL = 4000

/** Every child still running; SIGKILLed if the driver exits early, however it ends. */
const live = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

/**
 * A bench child process: `node [nodeArgs] <launcher…> '<json config>'`. Emits every
 * `BENCH {...}` line of its stdout as a 'line' event; anything else it prints is ignored.
 * Its stdin stays an open pipe: the children exit when it closes, so they die with the driver.
 */
export class Child extends EventEmitter {
  readonly exited: Promise<number | null>
  private readonly process: ChildProcess
  private stderr = ''

  constructor(launcher: string[], config: unknown, nodeArgs: string[] = []) {
    super()
    this.process = spawn(process.execPath, [...nodeArgs, ...launcher, JSON.stringify(config)], {
      cwd: repoDir,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    live.add(this.process)
    this.process.stdin?.on('error', () => {}) // EPIPE once the child is gone
    this.process.stderr?.setEncoding('utf8')
    this.process.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL)
    })
    let pending = ''
    this.process.stdout?.setEncoding('utf8')
    this.process.stdout?.on('data', (chunk: string) => {
      pending += chunk
      let newline = pending.indexOf('\n')
      while (newline >= 0) {
        const text = pending.slice(0, newline)
        pending = pending.slice(newline + 1)
        if (text.startsWith(LINE_MARK)) this.emit('line', JSON.parse(text.slice(LINE_MARK.length)))
        newline = pending.indexOf('\n')
      }
    })
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code) => {
        live.delete(this.process)
        resolve(code)
      })
      this.process.once('error', (error) => {
        this.stderr += `\ncould not start: ${error.message}`
        live.delete(this.process)
        resolve(null)
      })
    })
  }

  /** The first line of this type, or a rejection when the child exits first or `timeoutMs` passes. */
  waitFor<T extends { type: string }>(type: T['type'], timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`${type}: no answer within ${timeoutMs} ms`)), timeoutMs)
      const onLine = (line: T & { message?: string }) => {
        if (line.type === type) finish(undefined, line)
        else if (line.type === 'error') finish(new Error(line.message))
      }
      const onExit = (code: number | null) => finish(new Error(`exited (code ${code}) before ${type}`))
      let settled = false
      const finish = (error?: Error, line?: T) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        this.off('line', onLine)
        if (error) reject(new Error(`${error.message}\n--- stderr tail ---\n${this.stderr.trim()}`))
        else resolve(line as T)
      }
      this.on('line', onLine)
      this.exited.then(onExit)
    })
  }

  /** The last few KB the child wrote to stderr. */
  get stderrTail(): string {
    return this.stderr.trim()
  }

  kill(): void {
    this.process.kill('SIGKILL')
  }

  send(command: string): void {
    this.process.stdin?.write(`${command}\n`)
  }

  /** Closes its stdin (the child then exits by itself); SIGKILL after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    this.process.stdin?.end()
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs)
    await this.exited
    clearTimeout(timer)
  }
}
