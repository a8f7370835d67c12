/**
 * Runs async jobs one at a time, in the order they were pushed. Broker deliveries must be
 * acknowledged synchronously, so adapters push the work here and return at once; per-topic order
 * (and so per-gateway order) is kept because each subscription has one queue.
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;
  private readonly onError: (err: unknown) => void;

  constructor(onError: (err: unknown) => void) {
    this.onError = onError;
  }

  push(job: () => Promise<void>): void {
    this.pending++;
    this.tail = this.tail
      .then(job)
      .catch(this.onError)
      .finally(() => {
        this.pending--;
      });
  }

  get size(): number {
    return this.pending;
  }

  /** Resolves when every job pushed so far has finished. */
  drain(): Promise<void> {
    return this.tail;
  }
}
