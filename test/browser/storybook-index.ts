import { readFileSync } from 'node:fs'

export interface IndexEntry {
  id: string
  title: string
  name: string
  type: 'story' | 'docs'
}

/** The built Storybook's entries (global setup builds it before any test file is collected). */
export function storybookEntries(): IndexEntry[] {
  const index = JSON.parse(readFileSync('storybook-static/index.json', 'utf8')) as {
    entries: Record<string, IndexEntry>
  }
  return Object.values(index.entries)
}
