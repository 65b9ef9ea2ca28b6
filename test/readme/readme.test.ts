/**
 * README can never drift from the code: every TypeScript block in it is type-checked against the
 * sources (as `react-wamp`, `react-wamp/client` and `react-wamp/router` resolve for users), and the
 * blocks marked `ts runnable` run as pasted, in a child process, against the in-process router.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const dir = join(root, 'test/readme/.blocks')

interface Block {
  /** README line of the block's first code line. */
  line: number
  lang: 'ts' | 'tsx'
  runnable: boolean
  code: string
  file: string
}

function readmeBlocks(): Block[] {
  const text = readFileSync(join(root, 'README.md'), 'utf8')
  const blocks: Block[] = []
  for (const match of text.matchAll(/^```(ts|tsx)( runnable)?\n([\s\S]*?)^```$/gm)) {
    const line = text.slice(0, match.index).split('\n').length + 1
    const lang = match[1] as 'ts' | 'tsx'
    blocks.push({
      line,
      lang,
      runnable: match[2] !== undefined,
      // A block without imports is a script to TypeScript: `export {}` makes each one a module of its own.
      code: `${match[3]}\nexport {}\n`,
      file: join(dir, `readme-line-${line}.${lang}`),
    })
  }
  return blocks
}

const tsconfig = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023', 'DOM', 'DOM.Iterable'],
    // As the repository resolves (NodeNext), in an ES module package (the package.json beside it).
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    jsx: 'react-jsx',
    types: ['node'],
    paths: {
      'react-wamp': ['../../../src/index.ts'],
      'react-wamp/client': ['../../../src/core.ts'],
      'react-wamp/router': ['../../../src/router/index.ts'],
      'react-wamp/tabs': ['../../../src/tabs/index.ts'],
      'react-wamp/query': ['../../../src/query/index.ts'],
      'react-wamp/devtools': ['../../../src/devtools/index.ts'],
    },
  },
  // The sources' own declaration for use-sync-external-store's CommonJS entry, as the repository compiles them.
  include: ['*.ts', '*.tsx', '../../../src/react/with-selector.d.ts'],
}

function run(command: string, args: string[], timeout: number) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(command, args, { cwd: root, timeout, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
      resolve({ code, stdout: String(stdout), stderr: String(stderr) })
    })
  })
}

const blocks = readmeBlocks()

beforeAll(() => {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }))
  for (const block of blocks) writeFileSync(block.file, block.code)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('README', () => {
  it('has TypeScript blocks, some of them runnable', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(8)
    expect(blocks.filter((b) => b.runnable).length).toBeGreaterThanOrEqual(2)
  })

  it('every TypeScript block type-checks against the sources', { timeout: 120_000 }, async () => {
    const tsc = join(root, 'node_modules/.bin/tsc')
    const { code, stdout, stderr } = await run(tsc, ['-p', join(dir, 'tsconfig.json')], 110_000)
    // Name README's lines, not the temporary files'.
    const report = `${stdout}${stderr}`.replace(
      /(?:\S*\/)?readme-line-(\d+)\.tsx?\((\d+),(\d+)\)/g,
      (_all, start, line, col) => {
        return `README.md:${Number(start) + Number(line) - 1}:${col}`
      },
    )
    expect(report.trim(), `tsc in ${relative(root, dir)}`).toBe('')
    expect(code).toBe(0)
  })

  for (const block of blocks.filter((b) => b.runnable)) {
    it(`the runnable block at README.md:${block.line} runs as pasted`, { timeout: 60_000 }, async () => {
      const tsx = join(root, 'node_modules/.bin/tsx')
      const { code, stderr } = await run(tsx, ['--tsconfig', join(dir, 'tsconfig.json'), block.file], 50_000)
      expect(stderr).toBe('')
      expect(code).toBe(0)
    })
  }
})
