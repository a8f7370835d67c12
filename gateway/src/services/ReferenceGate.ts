import type { PresenceChange, Sighting } from "../domain/presence/PresenceEngine.js";
import type { PresenceDecider } from "./FusedPresence.js";
import type { Clock, Logger } from "./ports.js";

export interface ReferenceGateOptions {
  /** The engine of a gateway that judges alone. */
  readonly engine: PresenceDecider;
  /** The time source the stamps follow (the cloud's, CloudClock): decisions wait until it is known. */
  readonly reference: { readonly known: boolean };
  /** The operating system's clock, which the wait is measured on (the reference's may jump). */
  readonly clock: Clock;
  /** The longest wait for the reference, ms: a cloud out of reach must not stop a store deciding. */
  readonly maxWaitMs: number;
  readonly log: Logger;
}

/**
 * A gateway that judges alone decides nothing until its clock is the cloud's (for at most
 * `maxWaitMs` from its start). Its stamps follow the cloud's clock from the first reply on, and a
 * clock that jumps under the engine (a Raspberry Pi booted on a time saved hours ago) would end at
 * the jump every visit begun before it and begin it again, stamped hours apart: sightings heard
 * before are dropped instead, a second or two of them at a start. A fused gateway waits the same way
 * in FusedPresence.
 */
export class ReferenceGate implements PresenceDecider {
  /** Sightings heard before the wait ended, not decided. */
  dropped = 0;
  private readonly startedAt: number;
  private open = false;

  constructor(private readonly o: ReferenceGateOptions) {
    this.startedAt = o.clock.now();
  }

  get trackedSubjects(): number {
    return this.o.engine.trackedSubjects;
  }

  observe(s: Sighting): PresenceChange[] {
    if (!this.ready()) {
      this.dropped++;
      return [];
    }
    return this.o.engine.observe(s);
  }

  tick(now: number): PresenceChange[] {
    return this.ready() ? this.o.engine.tick(now) : [];
  }

  private ready(): boolean {
    if (this.open) return true;
    const waitedMs = this.o.clock.now() - this.startedAt;
    if (!this.o.reference.known && waitedMs < this.o.maxWaitMs) return false;
    this.open = true;
    this.o.log.info(
      { dropped: this.dropped, waitedMs, reference: this.o.reference.known },
      this.o.reference.known ? "deciding on the cloud's time" : "deciding on the system clock: the cloud's time is not known yet",
    );
    return true;
  }
}
