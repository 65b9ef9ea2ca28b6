/**
 * react-wamp/devtools: `<WampDevtools />`, a panel that shows a connection's state, subscriptions,
 * registrations, calls in flight and messages. Its own entry: an app's production bundle carries
 * it only when the app imports it. The plain parts (log, redaction, recorder) need no React.
 * @packageDocumentation
 */

export { messageSize, summarizeMessage } from './describe.js'
export { EventRates } from './event-rates.js'
export { InvocationsInFlight } from './invocations.js'
export { filterMessages, type LoggedMessage, MessageLog } from './message-log.js'
export {
  createRecorder,
  type Recorder,
  type RecorderOptions,
  recordMessage,
  type Transition,
} from './recorder.js'
export { defaultPreviewLimits, type PreviewLimits, preview, REDACTED, redactMessage } from './redact.js'
export { WampDevtools, type WampDevtoolsProps } from './WampDevtools.js'
