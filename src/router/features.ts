import type { Dict } from '../protocol/messages.js'

/** The router roles and features WELCOME announces: exactly what the broker, dealer and meta API implement. */
export function routerRoles(): Dict {
  return {
    broker: {
      features: {
        pattern_based_subscription: true,
        publisher_exclusion: true,
        publisher_identification: true,
        subscriber_blackwhite_listing: true,
        subscription_revocation: true,
        session_meta_api: true,
        subscription_meta_api: true,
        event_history: true,
        event_retention: true,
      },
    },
    dealer: {
      features: {
        call_canceling: true,
        call_timeout: true,
        caller_identification: true,
        pattern_based_registration: true,
        progressive_call_results: true,
        progressive_call_invocations: true,
        shared_registration: true,
        registration_revocation: true,
        session_meta_api: true,
        registration_meta_api: true,
      },
    },
  }
}
