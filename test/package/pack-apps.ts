import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, readdirSync, realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Helpers for package.test.ts: pack the library as `npm pack` does, and install the tarball into
 * fresh apps with no network: npm runs offline against an empty cache and a registry on a closed
 * loopback port, and every other package comes from the repository's node_modules as a copy
 * (`--install-links`), so nothing outside the temporary folder changes.
 */
export const root = fileURLToPath(new URL('../..', import.meta.url))
const modules = realpathSync(join(root, 'node_modules'))

export function bin(name: string): string {
  return join(modules, '.bin', name)
}

export interface Output {
  stdout: string
  stderr: string
}

/** Runs a command; rejects with its output when it fails or outlives `timeout` ms. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, timeout = 60_000) {
  return new Promise<Output>((resolve, reject) => {
    const options = { cwd, timeout, maxBuffer: 32 << 20, env: { ...process.env, ...env } }
    execFile(command, args, options, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed:\n${stdout}\n${stderr}`))
      else resolve({ stdout, stderr })
    })
  })
}

/** npm kept off the network: offline, its own empty cache, a registry nobody listens on. */
export function offlineNpm(dir: string): NodeJS.ProcessEnv {
  return {
    npm_config_offline: 'true',
    npm_config_cache: join(dir, 'npm-cache'),
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  }
}

/** `npm pack` in the repository (its `prepare` script builds dist/ first); returns the tarball's path. */
export async function pack(dir: string): Promise<string> {
  await run('npm', ['pack', '--pack-destination', dir], root, offlineNpm(dir), 120_000)
  const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'))
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${dir}`)
  return join(dir, tarball)
}

/**
 * A fresh "type": "module" app with the tarball and copies of `packages` from the repository.
 * `withoutPeers`: npm leaves peer dependencies out (use-sync-external-store names React as one,
 * and npm would otherwise install React), so the app really has no React.
 */
export async function installApp(
  dir: string,
  tarball: string,
  packages: string[],
  withoutPeers = false,
): Promise<string> {
  const app = join(dir, `app-${readdirSync(dir).length}`)
  mkdirSync(app)
  const dependencies = Object.fromEntries(packages.map((name) => [name, `file:${join(modules, name)}`]))
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module', dependencies }))
  cpSync(join(root, 'test/package/app'), app, { recursive: true })
  const args = ['install', '--offline', '--install-links', '--ignore-scripts', '--no-audit', '--no-fund', tarball]
  if (withoutPeers) args.push('--legacy-peer-deps')
  await run('npm', args, app, offlineNpm(dir))
  return app
}
