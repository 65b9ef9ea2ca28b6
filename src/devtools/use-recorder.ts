import { useEffect, useState } from 'react'
import { createRecorder, type InspectableConnection, type Recorder } from './recorder.js'

/** A recorder on `connection` while the component is mounted (StrictMode's second mount gets a fresh one). */
export function useRecorder(connection: InspectableConnection, capacity: number | undefined): Recorder | undefined {
  const [recorder, setRecorder] = useState<Recorder>()
  useEffect(() => {
    const started = createRecorder(connection, { capacity })
    setRecorder(started)
    return () => {
      started.stop()
      setRecorder(undefined)
    }
  }, [connection, capacity])
  return recorder
}
