import { seededRandom } from "../../gateway/src/adapters/sim/random.js";
import type { SimAdvertiser } from "../../gateway/src/adapters/sim/SimWorld.js";
import type { Clock, Scheduler, TimerHandle } from "../../gateway/src/services/ports.js";
import type { UserRepository } from "../../cloud/src/services/repositories/UserRepository.js";
import { streamOf } from "../sim/rng.js";
import {
  DEMO_NEWCOMER_EVERY_MS,
  DEMO_ORG,
  demoNewcomer,
  newcomerAdvertiser,
  newcomerSubjectId,
  passersBy,
} from "./demoStore.js";

export interface DemoFootfallOptions {
  /** Where newcomers sign up (the cloud's user repository). */
  readonly users: Pick<UserRepository, "getUser" | "upsertUser" | "registerDevice">;
  /** The simulated store they walk into. */
  readonly world: { add(advertiser: SimAdvertiser): void };
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly seed: number;
  /** A new member every so often, ms; default `DEMO_NEWCOMER_EVERY_MS` (40 s). */
  readonly newcomerEveryMs?: number;
  /** From this moment (epoch ms) on, footfall also adds the people walking past the window. */
  readonly passersFromAt: number;
  /**
   * Told of each newcomer as they sign up, with their number and their phone as the store will
   * hear it (the demo's app, till and online shop act for them; tests count).
   */
  readonly onNewcomer?: (userId: string, arriveAt: number, newcomer: { readonly n: number; readonly advertiser: SimAdvertiser }) => void;
  /** Told when signing a newcomer up fails (the demo goes on with the next one). */
  readonly onError?: (err: unknown) => void;
}

/**
 * Keeps the demo store busy for as long as it runs: every `newcomerEveryMs` a new member signs up
 * (user and phone registered, as the retailer's app would at sign-up) and walks in a few seconds
 * later, and people keep walking past the window. Numbering carries on from the newcomers already
 * in the directory, so a restart on the same data brings new people, not ones whose welcome and
 * daily caps are spent.
 */
export class DemoFootfall {
  private readonly o: DemoFootfallOptions;
  private readonly everyMs: number;
  private readonly random: () => number;
  private timer: TimerHandle | null = null;
  private next = 0;
  private passerNumber = 0;
  private passersUntil = 0;
  private work: Promise<void> = Promise.resolve();

  constructor(options: DemoFootfallOptions) {
    this.o = options;
    this.everyMs = options.newcomerEveryMs ?? DEMO_NEWCOMER_EVERY_MS;
    this.random = seededRandom(options.seed ^ 0x5eed);
  }

  /** Number of the next newcomer (after `start`). */
  get nextNewcomer(): number {
    return this.next;
  }

  async start(): Promise<void> {
    if (this.timer) return;
    this.next = (await this.lastNewcomer()) + 1;
    this.passersUntil = this.o.passersFromAt;
    this.timer = this.o.scheduler.setInterval(() => {
      // The moment is read when the timer fires: a sign-up still queued behind the last one keeps it.
      const now = this.o.clock.now();
      this.work = this.work.then(() => this.tick(now)).catch((err: unknown) => this.o.onError?.(err));
    }, this.everyMs);
  }

  /** Resolves when the sign-ups started so far are done (tests advance time, then wait for this). */
  settled(): Promise<void> {
    return this.work;
  }

  async stop(): Promise<void> {
    if (this.timer) this.o.scheduler.clearInterval(this.timer);
    this.timer = null;
    await this.work;
  }

  private async tick(now: number): Promise<void> {
    const n = this.next++;
    const user = demoNewcomer(n);
    await this.o.users.upsertUser(
      {
        id: user.id,
        orgId: DEMO_ORG.id,
        displayName: user.displayName,
        segments: user.segments,
        loyaltyTier: user.loyaltyTier,
        marketingConsent: user.marketingConsent,
        analyticsConsent: true,
      },
      now,
    );
    await this.o.users.registerDevice(newcomerSubjectId(n), user.id, "retailer app", now);
    // A few seconds from the app's sign-up to the door.
    const arriveAt = now + 5_000;
    // Each newcomer's walk from a stream of their own: the same person whatever the passers drew.
    const advertiser = newcomerAdvertiser(n, arriveAt, streamOf(this.o.seed, "newcomer", n));
    this.o.world.add(advertiser);
    this.o.onNewcomer?.(user.id, arriveAt, { n, advertiser });
    const horizon = now + this.everyMs;
    if (horizon > this.passersUntil) {
      const from = Math.max(this.passersUntil, now);
      const passers = passersBy(from, horizon, this.passerNumber, this.random);
      for (const p of passers) this.o.world.add(p);
      this.passerNumber += passers.length;
      this.passersUntil = horizon;
    }
  }

  /**
   * The highest newcomer number already signed up: numbers are handed out in order, so a doubling
   * probe and a binary search find it in a few dozen reads however long earlier runs went on.
   */
  private async lastNewcomer(): Promise<number> {
    const exists = async (n: number): Promise<boolean> => (await this.o.users.getUser(demoNewcomer(n).id)) !== null;
    if (!(await exists(1))) return 0;
    let low = 1;
    let high = 2;
    while (await exists(high)) {
      low = high;
      high *= 2;
    }
    // exists(low) and not exists(high): find the last that exists.
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (await exists(mid)) low = mid;
      else high = mid;
    }
    return low;
  }
}
