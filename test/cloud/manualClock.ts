import type { Clock } from "../../cloud/src/services/ports.js";

/** A clock that moves only when a test moves it: schedules, expiry and reminders become exact. */
export class ManualClock implements Clock {
  private nowMs: number;

  constructor(start: number | string) {
    this.nowMs = typeof start === "string" ? Date.parse(start) : start;
  }

  now(): number {
    return this.nowMs;
  }

  set(at: number | string): void {
    this.nowMs = typeof at === "string" ? Date.parse(at) : at;
  }

  advance(ms: number): void {
    this.nowMs += ms;
  }

  iso(): string {
    return new Date(this.nowMs).toISOString();
  }
}
