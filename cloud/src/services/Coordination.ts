import type { Scheduler, TimerHandle } from "./ports.js";

/**
 * What one worker tells the others it changed, so their in-memory views follow:
 * - `rules`: an organisation's rules changed (written, scheduled transition); `key` is the org id;
 * - `zones`: a store's zones changed (ingest's zone cache, the decisions' directory records); `key`
 *   is the store id. Other directory writes need no notice: the decisions' DirectoryCache follows
 *   storage's own change counter, which every worker reads;
 * - `resync`: notifications may have been missed (the coordination link was down): drop every
 *   cache and read everything again; `key` is empty.
 */
export type ChangeTopic = "rules" | "zones" | "resync";

export interface ChangeNotice {
  readonly topic: ChangeTopic;
  readonly key: string;
}

export type ChangeListener = (change: ChangeNotice) => void;

/**
 * Coordination of the cloud's workers (one process with SQLite, or N workers on PostgreSQL):
 * leadership for the periodic jobs that must run once across the fleet (reminders, retention, EID
 * rotation, rule transitions, points expiry), and change notices that reach every worker.
 *
 * Leadership is at most one worker at a time *as far as the coordinator can know*: a leader cut off
 * from the coordinator stops being leader when it notices (the PostgreSQL implementation: when its
 * session errors or a periodic check fails), so the jobs run under it must be safe to run twice in
 * that short overlap (they are: each is a sweep of due rows, conditional on their state).
 */
export interface Coordination {
  /** This worker's id (for logs and the metrics label). */
  readonly workerId: string;
  /** True while this worker holds leadership. */
  isLeader(): boolean;
  /**
   * Called with `true` when this worker becomes leader and `false` when it stops being leader
   * (changes after the listener is added; `isLeader` tells the state now).
   */
  onLeadership(listener: (leader: boolean) => void): () => void;
  /**
   * Tells every other worker of a change (this worker's own state is updated by the caller). A
   * notice that cannot be sent is logged, never thrown: the others resync when the link returns.
   */
  notify(change: ChangeNotice): Promise<void>;
  /** Notices from the other workers (and `resync` after a gap). Returns an unsubscribe. */
  onChange(listener: ChangeListener): () => void;
  /**
   * Whether other workers may share this storage. When false, `broadcast` reaches no one and a
   * caller need not prepare anything for it.
   */
  readonly shared: boolean;
  /** The largest payload `broadcast` takes, in UTF-8 bytes. */
  readonly maxBroadcastBytes: number;
  /**
   * Sends a payload to the other workers' `onBroadcast` listeners, in the order sent, at most once:
   * a worker not connected at that moment never gets it. For views that are volatile by design (the
   * live view), never for state. Resolves false when it could not be sent (no link, too large);
   * never throws.
   */
  broadcast(payload: string): Promise<boolean>;
  /** Payloads the other workers broadcast. Returns an unsubscribe. */
  onBroadcast(listener: (payload: string) => void): () => void;
  /** Connects and starts competing for leadership. Idempotent. */
  start(): Promise<void>;
  /** Gives up leadership and disconnects. Idempotent. */
  stop(): Promise<void>;
}

/** A single process: always the leader (from the start, so never "becomes" one), notices go nowhere. */
export class LocalCoordination implements Coordination {
  constructor(readonly workerId: string) {}

  isLeader(): boolean {
    return true;
  }

  onLeadership(): () => void {
    // Leadership never changes hands in one process.
    return () => undefined;
  }

  async notify(): Promise<void> {
    // No other worker shares this process's storage; the caller updated its own state.
  }

  onChange(): () => void {
    return () => undefined;
  }

  readonly shared = false;
  readonly maxBroadcastBytes = 0;

  async broadcast(): Promise<boolean> {
    // No other worker to reach.
    return false;
  }

  onBroadcast(): () => void {
    return () => undefined;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}
}

/**
 * The scheduler for services whose periodic work must run once across the fleet: their intervals
 * keep ticking on every worker, and each tick runs only on the worker that is leader at that moment
 * (so when leadership moves, the next tick runs on the new leader with no hand-over). One-shot
 * timers pass through: they are work in progress, not periodic jobs.
 */
export function leaderOnlyScheduler(scheduler: Scheduler, leadership: Pick<Coordination, "isLeader">): Scheduler {
  return {
    setTimeout: (callback, delayMs): TimerHandle => scheduler.setTimeout(callback, delayMs),
    clearTimeout: (handle) => scheduler.clearTimeout(handle),
    setInterval: (callback, intervalMs): TimerHandle =>
      scheduler.setInterval(() => {
        if (leadership.isLeader()) callback();
      }, intervalMs),
    clearInterval: (handle) => scheduler.clearInterval(handle),
  };
}
