import { useEffect, useState } from 'react'
import type { Connection } from '../connection/connection.js'
import { createRecorder, type Recorder } from './recorder.js'

/** A recorder on `connection` while the component is mounted (StrictMode's second mount gets a fresh one). */
export function useRecorder(connection: Connection, capacity: number | undefined): Recorder | undefined {
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
