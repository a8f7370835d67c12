import { type Advert, type Clock, type ScanSource, type Scheduler, systemScheduler, type TimerHandle } from "../../services/ports.js";
import type { SimRadio, SimWorld } from "./SimWorld.js";

/**
 * The simulator as scan sources. One hub ticks the shared world for every radio at once (the same
 * advert reaches each radio at the same moment, as in a real room) and hands each gateway's source
 * what its radio heard.
 */
export class SimHub {
  private readonly world: SimWorld;
  private readonly radios: readonly SimRadio[];
  private readonly clock: Clock;
  private readonly tickMs: number;
  private readonly listeners = new Map<string, (advert: Advert) => void>();
  private readonly scheduler: Scheduler;
  private timer: TimerHandle | null = null;
  private last = 0;

  constructor(options: {
    world: SimWorld;
    radios: readonly SimRadio[];
    clock: Clock;
    tickMs?: number;
    /** Timers of the world's tick; default the process's own. */
    scheduler?: Scheduler;
  }) {
    this.scheduler = options.scheduler ?? systemScheduler;
    this.world = options.world;
    this.radios = options.radios;
    this.clock = options.clock;
    this.tickMs = options.tickMs ?? 100;
  }

  /** The scan source of one simulated gateway. */
  source(gatewayId: string): ScanSource {
    if (!this.radios.some((r) => r.gatewayId === gatewayId))
      throw new Error(`no simulated radio ${gatewayId}`);
    return {
      start: async (onAdvert) => {
        this.listeners.set(gatewayId, onAdvert);
        this.ensureTicking();
      },
      stop: async () => {
        this.listeners.delete(gatewayId);
        if (this.listeners.size === 0 && this.timer) {
          this.scheduler.clearInterval(this.timer);
          this.timer = null;
        }
      },
    };
  }

  private ensureTicking(): void {
    if (this.timer) return;
    this.last = this.clock.now();
    this.timer = this.scheduler.setInterval(() => {
      const now = this.clock.now();
      for (const advert of this.world.hear(this.radios, this.last, now)) {
        if (advert.gatewayId !== undefined) this.listeners.get(advert.gatewayId)?.(advert);
      }
      this.last = now;
    }, this.tickMs);
  }
}
