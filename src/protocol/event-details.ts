import { ProtocolViolationError } from './errors.js'
import { type FieldRule, fieldProblem, payloadRules, rule } from './field-rules.js'
import type { Dict } from './messages.js'

/**
 * Standard EVENT.Details fields and what each must be (the spec's test vectors make a wrongly
 * typed one a protocol violation).
 */
const rules = new Map<string, FieldRule>([
  ['publisher', rule.id],
  ['publisher_authid', rule.string],
  ['publisher_authrole', rule.string],
  ['topic', [rule.string[0], 'a URI string']],
  ['retained', rule.boolean],
  ['transaction_hash', rule.string],
  ['x_acknowledged_delivery', rule.boolean],
  ['forward_for', rule.forwardFor],
  ...payloadRules,
])

/** Throws ProtocolViolationError naming the first standard EVENT.Details field of the wrong type. */
export function checkEventDetails(details: Dict): void {
  const problem = fieldProblem(rules, details, 'EVENT: Details')
  if (problem) throw new ProtocolViolationError(problem)
}
