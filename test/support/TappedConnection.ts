import type { UplinkConnection, UplinkHandlers } from "../../gateway/src/services/ports.js";

/** Sequence range of one published batch. */
export interface BatchRange {
  readonly first: number;
  readonly last: number;
}

/**
 * Wraps the gateway's uplink and records each event batch whose publish resolved, i.e. whose QoS 1
 * PUBACK came back: from then on the broker (and, with the embedded broker, the cloud process) has
 * the batch. A test can act on that moment (kill the cloud) and later tell from the cloud's database
 * whether the batch had been committed.
 */
export class TappedConnection implements UplinkConnection {
  readonly pubacked: BatchRange[] = [];
  private readonly inner: UplinkConnection;
  private readonly eventsTopic: string;
  private waiters: ((range: BatchRange) => void)[] = [];

  constructor(inner: UplinkConnection, eventsTopic: string) {
    this.inner = inner;
    this.eventsTopic = eventsTopic;
  }

  get connected(): boolean {
    return this.inner.connected;
  }

  get reconnects(): number {
    return this.inner.reconnects;
  }

  start(handlers: UplinkHandlers): void {
    this.inner.start(handlers);
  }

  async publish(topic: string, payload: Buffer, options: { qos: 0 | 1; retain: boolean }): Promise<void> {
    await this.inner.publish(topic, payload, options);
    if (topic !== this.eventsTopic) return;
    const { events } = JSON.parse(payload.toString("utf8")) as { events: { seq: number }[] };
    const range = { first: events[0]?.seq ?? 0, last: events.at(-1)?.seq ?? 0 };
    this.pubacked.push(range);
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve(range);
  }

  subscribe(topics: readonly string[]): Promise<void> {
    return this.inner.subscribe(topics);
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }

  /** Resolves at the next PUBACK of an event batch, synchronously with the publish settling. */
  nextPuback(): Promise<BatchRange> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
