/**
 * Fake time for the `Scheduler` port of cloud and gateway (both ports have the same shape): timers
 * fire only when a test advances time, in due order, each with the clock set to its due time. Tied
 * to a manual clock, so what a timer callback reads from the clock is exactly when it was due.
 */

/** What the scheduler needs of a manual clock (test/cloud/manualClock.ts and the gateway kits fit). */
export interface SettableClock {
  now(): number;
  set(at: number): void;
}

interface Timer {
  readonly id: number;
  at: number;
  readonly everyMs: number | null;
  readonly callback: () => void;
}

/** Lets promise chains and I/O callbacks started by a timer run before the next one fires. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export class ManualScheduler {
  private readonly clock: SettableClock;
  private readonly timers = new Map<number, Timer>();
  private nextId = 1;

  constructor(clock: SettableClock) {
    this.clock = clock;
  }

  /** Timers waiting to fire (intervals count while they are set). */
  get pending(): number {
    return this.timers.size;
  }

  setTimeout(callback: () => void, delayMs: number): object {
    return this.add(callback, Math.max(0, delayMs), null);
  }

  clearTimeout(handle: object): void {
    this.timers.delete((handle as { id: number }).id);
  }

  setInterval(callback: () => void, intervalMs: number): object {
    // Node runs a zero interval as 1 ms; so does this, or advancing would never end.
    const everyMs = Math.max(1, intervalMs);
    return this.add(callback, everyMs, everyMs);
  }

  clearInterval(handle: object): void {
    this.clearTimeout(handle);
  }

  /**
   * Moves the clock forward by `ms`, firing every timer that falls due on the way in due order
   * (ties in the order they were set), and lets the work each one starts run before the next.
   */
  async advance(ms: number): Promise<void> {
    const target = this.clock.now() + ms;
    for (;;) {
      const due = this.nextDue(target);
      if (!due) break;
      this.clock.set(Math.max(this.clock.now(), due.at));
      // Like Node, an interval that fired late (the clock was set past it) does not catch up.
      if (due.everyMs === null) this.timers.delete(due.id);
      else due.at = this.clock.now() + due.everyMs;
      due.callback();
      await settle();
    }
    this.clock.set(Math.max(this.clock.now(), target));
    await settle();
  }

  /** Fires what is due now (delay 0 timers) without moving the clock. */
  async runDue(): Promise<void> {
    await this.advance(0);
  }

  private add(callback: () => void, delayMs: number, everyMs: number | null): object {
    const timer: Timer = { id: this.nextId++, at: this.clock.now() + delayMs, everyMs, callback };
    this.timers.set(timer.id, timer);
    return { id: timer.id };
  }

  private nextDue(target: number): Timer | undefined {
    let best: Timer | undefined;
    for (const timer of this.timers.values()) {
      if (timer.at > target) continue;
      if (!best || timer.at < best.at || (timer.at === best.at && timer.id < best.id)) best = timer;
    }
    return best;
  }
}
