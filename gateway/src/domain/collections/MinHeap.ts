/**
 * A binary min-heap under a caller's order: `peek` is the least item, `pop` removes it. Used where
 * items arrive nearly in order and leave in order (a replay's adverts, a store's merged sightings):
 * O(log n) per item, no sort of the whole backlog. Items the order calls equal leave in no fixed
 * order, so an order that must be total says so itself.
 */
export class MinHeap<T> {
  private readonly items: T[] = [];

  /** `before(a, b)` is true when `a` must leave before `b`. */
  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const h = this.items;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent];
      if (p === undefined || !this.before(item, p)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = item;
  }

  pop(): T | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (last === undefined || h.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let at = i;
      let best: T = last;
      const left = h[l];
      if (left !== undefined && this.before(left, best)) {
        at = l;
        best = left;
      }
      const right = h[r];
      if (right !== undefined && this.before(right, best)) {
        at = r;
        best = right;
      }
      if (at === i) break;
      h[i] = best;
      i = at;
    }
    h[i] = last;
    return top;
  }
}
