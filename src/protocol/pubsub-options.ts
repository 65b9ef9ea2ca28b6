import { type FieldRule, fieldProblem, oneOf, payloadRules, rule } from './field-rules.js'
import type { Dict } from './messages.js'

// PUBLISH.Options and SUBSCRIBE.Options as the spec's test vectors type them: one rule for the
// client (refuses to send, InvalidArgumentError) and our router (protocol violation).

const publishRules = new Map<string, FieldRule>([
  ['acknowledge', rule.boolean],
  ['exclude_me', rule.boolean],
  ['disclose_me', rule.boolean],
  ['retain', rule.boolean],
  ['exclude', rule.ids],
  ['eligible', rule.ids],
  ['exclude_authid', rule.strings],
  ['exclude_authrole', rule.strings],
  ['eligible_authid', rule.strings],
  ['eligible_authrole', rule.strings],
  ['transaction_hash', rule.string],
  ['forward_for', rule.forwardFor],
  ...payloadRules,
])

const subscribeRules = new Map<string, FieldRule>([
  ['match', oneOf(['exact', 'prefix', 'wildcard'])],
  ['get_retained', rule.boolean],
  ['forward_for', rule.forwardFor],
])

/** The first standard PUBLISH option of the wrong type or value, in words. */
export function publishOptionsProblem(options: Dict): string | undefined {
  return fieldProblem(publishRules, options, 'PUBLISH: Options')
}

/** The first standard SUBSCRIBE option of the wrong type or value, in words. */
export function subscribeOptionsProblem(options: Dict): string | undefined {
  return fieldProblem(subscribeRules, options, 'SUBSCRIBE: Options')
}
