import { describe, expect, it } from 'vitest'
import { ticket } from '../../src/auth/index.js'

describe('ticket()', () => {
  it('answers the CHALLENGE with the ticket itself', async () => {
    const method = ticket('tkt-123', { authid: 'joe' })
    expect(method.method).toBe('ticket')
    expect(method.authid).toBe('joe')
    expect(method.authextra).toBeUndefined()
    expect(await method.respond({ method: 'ticket', extra: {} })).toEqual({ signature: 'tkt-123' })
  })

  it('asks a function for a fresh ticket at every challenge', async () => {
    let n = 0
    const method = ticket(async () => `token-${++n}`)
    expect(method.authid).toBeUndefined()
    expect((await method.respond({ method: 'ticket', extra: {} })).signature).toBe('token-1')
    expect((await method.respond({ method: 'ticket', extra: {} })).signature).toBe('token-2')
  })

  it('refuses a non-string ticket, and a function returning one, without quoting it', async () => {
    expect(() => ticket(42 as unknown as string)).toThrow(TypeError)
    const method = ticket(() => ({ secret: 'x' }) as unknown as string)
    await expect(method.respond({ method: 'ticket', extra: {} })).rejects.toThrow('did not return a string')
  })
})
