import { execFile } from 'node:child_process'
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build, type Metafile } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * The package as a browser app's bundler sees it: the library is built (vite, as `npm run build`
 * does) into a temporary copy of the package, whose package.json `imports` maps `#rawsocket` to
 * dist/rawsocket-browser.js under the `browser` condition; esbuild then bundles dist/client.js
 * (and the main entry) for platform=browser.
 */
const root = fileURLToPath(new URL('../..', import.meta.url))
let dir: string

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: root, maxBuffer: 32 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed:\n${stdout}\n${stderr}`))
      else resolve()
    })
  })
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wamp-browser-'))
  // A separate outDir: never touches (or depends on) the working tree's dist/.
  await run(process.execPath, [
    join(root, 'node_modules/vite/bin/vite.js'),
    'build',
    '--outDir',
    join(dir, 'dist'),
    '--emptyOutDir',
    '--logLevel',
    'error',
  ])
  copyFileSync(join(root, 'package.json'), join(dir, 'package.json'))
}, 180_000)

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]))

async function bundleForBrowser(entry: string, external: string[] = []) {
  const result = await build({
    entryPoints: [join(dir, entry)],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // The temporary package has no node_modules of its own.
    nodePaths: [join(root, 'node_modules')],
    external,
  })
  const code = result.outputFiles[0]!.text
  return { code, metafile: result.metafile as Metafile }
}

/** Every import path the bundle's inputs ask for. */
function importedPaths(metafile: Metafile): string[] {
  return Object.values(metafile.inputs).flatMap((input) => input.imports.map((i) => i.original ?? i.path))
}

describe('browser bundle of the built package', () => {
  it.each([
    ['dist/client.js', []],
    ['dist/index.js', ['react', 'react-dom', 'react/jsx-runtime']],
  ] as const)('%s bundles for platform=browser with no Node built-in', async (entry, external) => {
    const { code, metafile } = await bundleForBrowser(entry, [...external])
    const inputs = Object.keys(metafile.inputs)
    // The `browser` condition swapped the RawSocket transport out, and `ws` is not in.
    expect(inputs.some((path) => path.endsWith('dist/rawsocket-browser.js'))).toBe(true)
    expect(inputs.some((path) => path.endsWith('dist/rawsocket.js'))).toBe(false)
    expect(inputs.some((path) => /node_modules\/ws\//.test(path))).toBe(false)
    expect(inputs.some((path) => path.endsWith('isomorphic-ws/browser.js'))).toBe(true)
    // No input imports a Node built-in, and none survives in the output.
    expect(importedPaths(metafile).filter((path) => nodeBuiltins.has(path))).toEqual([])
    expect(code).not.toMatch(/\bfrom\s*["']node:/)
    expect(code).not.toMatch(/\bimport\s*\(\s*["']node:/)
    expect(code).not.toMatch(/\brequire\s*\(\s*["'](node:)?(net|tls|fs|http|https|crypto|stream|events)["']\s*\)/)
  })

  it('tcp://, tcps:// and unix:// fail in the bundle with a clear message', async () => {
    const { code } = await bundleForBrowser('dist/client.js')
    const file = join(dir, 'client.browser.mjs')
    writeFileSync(file, code)
    const bundle = (await import(pathToFileURL(file).href)) as {
      connect(url: string, config: { realm: string }): Promise<unknown>
    }
    for (const url of ['tcp://127.0.0.1:8080', 'tcps://router.example:443', 'unix:///tmp/router.sock']) {
      const error = (await bundle.connect(url, { realm: 'realm1' }).catch((e: unknown) => e)) as Error & {
        code?: string
      }
      expect(error).toBeInstanceOf(Error)
      expect(error.name).toBe('InvalidArgumentError')
      expect(error.code).toBe('invalid_argument')
      expect(error.message).toBe(
        `${url}: RawSocket (tcp://, tcps://, unix://) needs Node; in a browser use ws:// or wss://`,
      )
    }
  })
})
