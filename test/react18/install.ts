/**
 * React 18 for the second run of the React tests: installed once into a cached folder of its
 * own (react, react-dom and Testing Library resolve each other there, so there is one React).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cacheDir } from '../routers/ports.js'

const packages = {
  react: '18.3.1',
  'react-dom': '18.3.1',
  '@testing-library/react': '16.3.3',
  '@testing-library/dom': '10.4.2',
  // Its CommonJS `require('react')` must find React 18 beside it.
  'use-sync-external-store': '1.7.0',
}

/** The folder whose node_modules hold React 18. */
export function react18Dir(): string {
  return join(cacheDir(), `react18-${Object.values(packages).join('-')}`)
}

export function ensureReact18(): string {
  const dir = react18Dir()
  if (existsSync(join(dir, 'node_modules', 'react-dom', 'package.json'))) return dir
  process.stderr.write('installing React 18 for the React 18 test run…\n')
  const tmp = `${dir}.tmp-${process.pid}`
  rmSync(tmp, { recursive: true, force: true })
  mkdirSync(tmp, { recursive: true })
  writeFileSync(join(tmp, 'package.json'), JSON.stringify({ private: true, dependencies: packages }, null, 2))
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent'], {
    cwd: tmp,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  rmSync(dir, { recursive: true, force: true })
  renameSync(tmp, dir)
  return dir
}
