/**
 * Ports of the cloud: what services need from the outside, as plain types. The broker (aedes or an
 * external MQTT broker), SQLite and fastify are adapters behind these.
 */

/** The subset of pino's logger that services use; adapters pass a pino child logger. */
export interface Logger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A timer started by a {@link Scheduler}: opaque, only handed back to the scheduler that made it. */
export type TimerHandle = object;

/**
 * Timers, injected beside the {@link Clock} (MQTT.js passes its keepalive timer the same way), so a
 * test drives periodic work with fake time instead of sleeping. Services never call the global
 * `setTimeout`/`setInterval`.
 *
 * Periodic timers (`setInterval`) never keep the process alive on their own: they are background
 * sweeps, and a process with nothing else to do should exit. One-shot timers (`setTimeout`) do, as a
 * pending delay is usually work in progress (a commit waiting for its group).
 */
export interface Scheduler {
  /** Runs `callback` once after `delayMs` milliseconds (0 or less: on the next turn). */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** Runs `callback` every `intervalMs` milliseconds, the first time `intervalMs` from now. */
  setInterval(callback: () => void, intervalMs: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

/** The scheduler of the running process: Node's timers, intervals unref'ed. */
export const systemScheduler: Scheduler = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  setInterval: (callback, intervalMs) => setInterval(callback, intervalMs).unref(),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

/** Resolves after `delayMs` on `scheduler`'s time. */
export function sleepOn(scheduler: Scheduler, delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    scheduler.setTimeout(resolve, delayMs);
  });
}

/** Random bytes for codes and ids; tests may pass a seeded source. */
export type RandomBytes = (size: number) => Uint8Array;

export interface PublishOptions {
  readonly qos: 0 | 1;
  readonly retain: boolean;
}

/** A received message, translated out of the broker library. */
export interface BusMessage {
  readonly topic: string;
  readonly payload: Buffer;
}

/** How a subscription shares its messages with the other cloud workers. */
export interface SubscribeOptions {
  /**
   * True for work to be done once across the fleet (gateway event batches, phones' location
   * reports): with an external broker each message goes to one worker of the cloud's shared
   * subscription group (MQTT 5 `$share/<group>/<filter>`, [MQTT-4.8.2]). False or absent: every
   * worker receives every message (gateway status, telemetry). A single process sees no difference.
   */
  readonly shared?: boolean;
}

/**
 * The cloud's side of MQTT. With the embedded broker it talks to aedes in-process; with an external
 * broker it is an MQTT client with the cloud's service identity. Handlers run one message at a time
 * per subscription, in arrival order, so per-gateway order is kept (within one worker: batches of
 * one gateway that a shared subscription hands to two workers may commit in either order).
 */
export interface MessageBus {
  subscribe(
    filter: string,
    handler: (message: BusMessage) => Promise<void>,
    options?: SubscribeOptions,
  ): Promise<void>;
  publish(topic: string, payload: Buffer, options: PublishOptions): Promise<void>;
}
