/** Where the client reports what it cannot throw (a handler that failed, a dropped message). */
export interface Logger {
  debug(message: string, ...data: unknown[]): void
  warn(message: string, ...data: unknown[]): void
  error(message: string, ...data: unknown[]): void
}

const noop = () => {}

/** console, with debug output only when asked. */
export function defaultLogger(debug: boolean): Logger {
  return {
    debug: debug ? (message, ...data) => console.debug(`[react-wamp] ${message}`, ...data) : noop,
    warn: (message, ...data) => console.warn(`[react-wamp] ${message}`, ...data),
    error: (message, ...data) => console.error(`[react-wamp] ${message}`, ...data),
  }
}
