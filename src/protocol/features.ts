import type { Dict } from './messages.js'

const rpcFeatures = {
  progressive_call_results: true,
  progressive_call_invocations: true,
  call_canceling: true,
  call_timeout: true,
  caller_identification: true,
  payload_passthru_mode: true,
}

/**
 * The roles and features this client announces in HELLO: exactly what it implements.
 * (nexus forwards progressive results only to callees that announce call_canceling too.)
 */
export function clientRoles(): Dict {
  return {
    caller: { features: { ...rpcFeatures } },
    callee: {
      features: {
        ...rpcFeatures,
        pattern_based_registration: true,
        shared_registration: true,
        registration_revocation: true,
      },
    },
    publisher: {
      features: {
        publisher_exclusion: true,
        publisher_identification: true,
        subscriber_blackwhite_listing: true,
        payload_passthru_mode: true,
      },
    },
    subscriber: {
      features: {
        pattern_based_subscription: true,
        publisher_identification: true,
        payload_passthru_mode: true,
        subscription_revocation: true,
        x_acknowledged_event_delivery: true,
      },
    },
  }
}

/** True when WELCOME.Details announce `feature` for the router role `role` ('broker' or 'dealer'). */
export function routerHasFeature(welcomeDetails: Dict, role: 'broker' | 'dealer', feature: string): boolean {
  const roles = welcomeDetails.roles as Record<string, { features?: Dict } | undefined> | undefined
  return roles?.[role]?.features?.[feature] === true
}
