import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bin, installApp, pack, run } from './pack-apps.js'

/**
 * The package as users get it: `npm pack` on a fresh build, the tarball installed (offline) into
 * fresh apps, then each way of loading it: import, require(), TypeScript (nodenext, bundler), a
 * browser bundle, and with React missing. publint and Are the Types Wrong check the tarball.
 */
// The package's own dependencies (read, so a new one is never forgotten) and ws for Node 20.
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>
}
const RUNTIME = ['ws', ...Object.keys(manifest.dependencies)]
const REACT = ['react', 'react-dom', 'scheduler', '@types/react', 'csstype']
const SMOKE = { sum: 3, rpcError: true, uri: 'wamp.error.no_such_procedure' }

let dir: string
let tarball: string
let bare: string // no React installed
let full: string // with React

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wamp-package-'))
  tarball = await pack(dir)
  bare = await installApp(dir, tarball, RUNTIME, true)
  full = await installApp(dir, tarball, [...RUNTIME, ...REACT])
}, 240_000)

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const node = (app: string, ...args: string[]) => run(process.execPath, args, app)
const json = (output: { stdout: string }) => JSON.parse(output.stdout) as unknown

describe('the packed package', () => {
  it('holds the build, the licence, the README and package.json', () => {
    const installed = join(full, 'node_modules/react-wamp')
    expect(readdirSync(installed).sort()).toEqual(['LICENSE', 'README.md', 'dist', 'package.json'])
    for (const file of [
      'index.js',
      'client.js',
      'router.js',
      'query.js',
      'rawsocket-browser.js',
      'types/index.d.ts',
      'types/query/index.d.ts',
      'devtools.js',
      'types/devtools/index.d.ts',
    ]) {
      expect(existsSync(join(installed, 'dist', file)), file).toBe(true)
    }
  })

  it('works through import and through require(), with one error class across entries', async () => {
    expect(json(await node(full, 'smoke.mjs'))).toEqual(SMOKE)
    const required = await node(full, 'smoke.cjs')
    expect(json(required)).toEqual(SMOKE)
    expect(required.stderr).toBe('') // no warning: require() of an ES module without top-level await
  })

  it('renders the React entry on the server, imported and required', async () => {
    expect(json(await node(full, 'react.mjs'))).toEqual({ html: '<p>idle</p>' })
    expect(json(await node(full, 'react.cjs'))).toEqual({ html: '<p>idle</p>' })
  })

  it('without React: the client and router work, and react-wamp fails naming react', async () => {
    expect(json(await node(bare, 'smoke.mjs'))).toEqual(SMOKE)
    expect(json(await node(bare, 'smoke.cjs'))).toEqual(SMOKE)
    const failed = await node(bare, '--input-type=module', '-e', "await import('react-wamp')").catch((e: Error) => e)
    expect(failed).toBeInstanceOf(Error)
    expect((failed as Error).message).toMatch(/Cannot find package 'react' imported from .*react-wamp\/dist\/index\.js/)
  })

  it.each(['nodenext', 'bundler'])('type-checks with TypeScript, moduleResolution %s', async (resolution) => {
    await run(bin('tsc'), ['-p', `tsconfig.${resolution}.json`], full)
  })

  it('bundles for browsers with the RawSocket stub (the browser condition)', async () => {
    const result = await build({
      stdin: { contents: "export { connect } from 'react-wamp/client'", resolveDir: full },
      absWorkingDir: full, // metafile paths relative to the app
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    })
    const inputs = Object.keys(result.metafile.inputs)
    expect(inputs).toContain('node_modules/react-wamp/dist/rawsocket-browser.js')
    expect(inputs).not.toContain('node_modules/react-wamp/dist/rawsocket.js')
  })

  it('is clean for publint', async () => {
    expect(existsSync(bin('publint')), 'publint is a dev dependency: run npm install').toBe(true)
    const { stdout } = await run(bin('publint'), ['run', tarball, '--strict'], dir)
    expect(stdout).toContain('All good!')
  })

  it('is clean for Are the Types Wrong (README, Install, says what the flags leave out)', async () => {
    expect(existsSync(bin('attw')), '@arethetypeswrong/cli is a dev dependency: run npm install').toBe(true)
    // node16 profile: TypeScript 7 has no node10 resolution. cjs-resolves-to-esm: attw's TypeScript
    // 5.6 predates require() of ES modules; the nodenext check above type-checks a .cts consumer.
    const flags = ['--profile', 'node16', '--ignore-rules', 'cjs-resolves-to-esm', '--no-definitely-typed']
    await run(bin('attw'), [tarball, ...flags, '--format', 'ascii', '--no-color', '--no-emoji'], dir)
  })
})
