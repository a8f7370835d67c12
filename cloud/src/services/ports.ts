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

/**
 * The cloud's side of MQTT. With the embedded broker it talks to aedes in-process; with an external
 * broker it is an MQTT client with the cloud's service identity. Handlers run one message at a time
 * per subscription, in arrival order, so per-gateway order is kept.
 */
export interface MessageBus {
  subscribe(filter: string, handler: (message: BusMessage) => Promise<void>): Promise<void>;
  publish(topic: string, payload: Buffer, options: PublishOptions): Promise<void>;
}
