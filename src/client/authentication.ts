import type { AuthMethod } from '../auth/auth-method.js'
import { ErrorUri } from '../protocol/error-uris.js'
import { AuthenticationError } from '../protocol/errors.js'
import { MessageType } from '../protocol/message-types.js'
import type { Dict } from '../protocol/messages.js'

/**
 * The authentication steps of the opening handshake: what HELLO announces, the answer to a
 * CHALLENGE, the check of WELCOME. Loaded only by clients configured with auth methods.
 */
export class Authentication {
  private authid: string | undefined

  constructor(
    private readonly methods: AuthMethod[],
    private readonly send: (message: unknown[]) => void,
  ) {}

  /** Adds authmethods, authid and authextra (the methods' own, then the config's) to HELLO.Details. */
  async announce(details: Dict, authid: string | undefined, authextra: Dict | undefined): Promise<void> {
    const { methods } = this
    details.authmethods = methods.map((method) => method.method)
    this.authid = authid ?? methods.find((method) => method.authid !== undefined)?.authid
    if (this.authid !== undefined) details.authid = this.authid
    const extras = await Promise.all(methods.map((method) => method.authextra)).catch((error: Error) => {
      throw new AuthenticationError('wamp.error.cannot_authenticate', { message: error.message })
    })
    const merged = Object.assign({}, ...extras, authextra)
    if (Object.keys(merged).length > 0) details.authextra = merged
  }

  /** Answers the router's CHALLENGE with the method it chose, or empty when none matches (the router aborts). */
  async answer(name: string, extra: Dict): Promise<void> {
    const method = this.methods.find((m) => m.method === name)
    if (!method) {
      this.send([MessageType.AUTHENTICATE, '', {}])
      return
    }
    const response = await this.step(`the ${name} challenge could not be answered`, () =>
      method.respond({ method: name, extra, authid: this.authid }),
    )
    this.send([MessageType.AUTHENTICATE, response.signature, response.extra ?? {}])
  }

  /** Checks the router's proof in WELCOME (SCRAM), when the chosen method has one. */
  async verify(details: Dict): Promise<void> {
    const method = this.methods.find((m) => m.method === details.authmethod)
    await this.step("the router's proof in WELCOME was refused", () => method?.verifyWelcome?.(details))
  }

  /** Runs a step of an auth method; a failure ABORTs the handshake with a typed error. */
  private async step<T>(what: string, step: () => T | Promise<T>): Promise<T> {
    try {
      return await step()
    } catch (error) {
      const message = `${what}: ${(error as Error).message}`
      try {
        this.send([MessageType.ABORT, { message }, ErrorUri.authenticationFailed])
      } catch {
        // The transport is gone; the rejection below says enough.
      }
      throw new AuthenticationError(ErrorUri.authenticationFailed, { message })
    }
  }
}
