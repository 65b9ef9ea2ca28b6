/** The last `capacity` publication IDs seen, for dropping a second delivery of the same event. */
export class RecentIds {
  private readonly set = new Set<number>()
  private readonly ring: number[] = []
  private next = 0

  constructor(private readonly capacity: number) {}

  has(id: number): boolean {
    return this.set.has(id)
  }

  /** Remembers `id`, forgetting the oldest when full. */
  add(id: number): void {
    if (this.set.has(id)) return
    if (this.ring.length < this.capacity) {
      this.ring.push(id)
    } else {
      this.set.delete(this.ring[this.next] as number)
      this.ring[this.next] = id
      this.next = (this.next + 1) % this.capacity
    }
    this.set.add(id)
  }
}
