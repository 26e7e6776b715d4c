// A binary min-heap of simulation events ordered by time, then by insertion order so that events at the
// same instant run in a fixed order (determinism does not depend on heap internals).

export interface SimEvent<K, P> {
  at: number;
  seq: number;
  kind: K;
  payload: P;
}

export interface EventQueue<K, P> {
  push(at: number, kind: K, payload: P): void;
  peekTime(): number;
  pop(): SimEvent<K, P> | undefined;
  readonly size: number;
}

export function createEventQueue<K, P>(): EventQueue<K, P> {
  const heap: SimEvent<K, P>[] = [];
  let seq = 0;
  const before = (x: SimEvent<K, P>, y: SimEvent<K, P>) => x.at < y.at || (x.at === y.at && x.seq < y.seq);

  return {
    push(at, kind, payload) {
      const event = { at, seq: seq++, kind, payload };
      let i = heap.length;
      heap.push(event);
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!before(event, heap[parent])) break;
        heap[i] = heap[parent];
        i = parent;
      }
      heap[i] = event;
    },
    peekTime: () => (heap.length > 0 ? heap[0].at : Infinity),
    pop() {
      if (heap.length === 0) return undefined;
      const top = heap[0];
      const last = heap.pop()!;
      if (heap.length > 0) {
        let i = 0;
        const n = heap.length;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= n) break;
          const r = l + 1;
          const child = r < n && before(heap[r], heap[l]) ? r : l;
          if (!before(heap[child], last)) break;
          heap[i] = heap[child];
          i = child;
        }
        heap[i] = last;
      }
      return top;
    },
    get size() {
      return heap.length;
    },
  };
}
