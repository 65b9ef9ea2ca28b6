import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { parseWithBigInts, stringifyWithBigInts } from '../../src/serializers/json-bigint.js'

/** One line a peer printed: an answer (with `id`), or an invocation, interrupt or event report. */
export type PeerLine = Record<string, unknown>

const READY_TIMEOUT_MS = 20_000
const ANSWER_TIMEOUT_MS = 10_000

/** Every peer still running; SIGKILLed when this process exits. */
const live = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

/**
 * A peer program that no one here wrote the client of (the nexus Go client, Autobahn|Python), joined
 * to a router and driven by JSON lines on stdin: commands in, answers (same `id`) and reports out.
 * Integers beyond ±2^53 travel both ways as BigInt (the driver speaks JSON with exact integers).
 */
export class LinePeer {
  session = 0
  private nextId = 1
  private readonly answers = new Map<number, (line: PeerLine) => void>()
  private readonly reports: PeerLine[] = []
  private readonly waiters: { match: (line: PeerLine) => boolean; resolve: (line: PeerLine) => void }[] = []
  private stderr = ''

  private constructor(
    private readonly child: ChildProcess,
    private readonly name: string,
  ) {}

  /** Starts `command args` and waits until it reports that it has joined. */
  static async start(name: string, command: string, args: string[]): Promise<LinePeer> {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    live.add(child)
    child.once('exit', () => live.delete(child))
    const peer = new LinePeer(child, name)
    child.stdin?.on('error', () => {})
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (chunk: string) => {
      peer.stderr = (peer.stderr + chunk).slice(-8192)
    })
    createInterface({ input: child.stdout! }).on('line', (text) => peer.receive(text))
    const ready = await peer.waitFor((line) => line.ready === true, READY_TIMEOUT_MS)
    peer.session = Number(ready.session)
    return peer
  }

  private receive(text: string): void {
    // Only JSON objects are lines of the protocol; anything else (a stray log line) is kept as stderr.
    if (!text.startsWith('{')) {
      this.stderr = (this.stderr + text).slice(-8192)
      return
    }
    const line = parseWithBigInts(text) as PeerLine
    if (typeof line.id === 'number' && this.answers.has(line.id)) {
      this.answers.get(line.id)!(line)
      this.answers.delete(line.id)
      return
    }
    const index = this.waiters.findIndex((w) => w.match(line))
    if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve(line)
    else this.reports.push(line)
  }

  /** Sends a command and resolves with its answer; rejects when the answer has `failure`. */
  async send(command: Record<string, unknown>): Promise<PeerLine> {
    const answer = await this.ask(command)
    if (answer.failure !== undefined) throw new Error(`${this.name}: ${String(answer.failure)}`)
    return answer
  }

  /** Sends a command and resolves with its answer as is. */
  ask(command: Record<string, unknown>): Promise<PeerLine> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.answers.delete(id)
        reject(new Error(`${this.name}: no answer to ${command.op} within ${ANSWER_TIMEOUT_MS} ms\n${this.stderr}`))
      }, ANSWER_TIMEOUT_MS)
      this.answers.set(id, (line) => {
        clearTimeout(timer)
        resolve(line)
      })
      this.child.stdin!.write(`${stringifyWithBigInts({ ...command, id })}\n`)
    })
  }

  /** The first report (past or future) that matches. */
  waitFor(match: (line: PeerLine) => boolean, ms = ANSWER_TIMEOUT_MS): Promise<PeerLine> {
    const index = this.reports.findIndex(match)
    if (index >= 0) return Promise.resolve(this.reports.splice(index, 1)[0]!)
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (line: PeerLine) => {
          clearTimeout(timer)
          resolve(line)
        },
      }
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1)
        reject(new Error(`${this.name}: the awaited report did not come within ${ms} ms\n${this.stderr}`))
      }, ms)
      this.waiters.push(waiter)
    })
  }

  /** Reports received so far that match (and are not yet taken). */
  seen(match: (line: PeerLine) => boolean): PeerLine[] {
    return this.reports.filter(match)
  }

  /** Closes stdin (the peer leaves the realm and exits) and waits for the exit. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    this.child.stdin!.end()
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000)
    await exited
    clearTimeout(timer)
  }
}
