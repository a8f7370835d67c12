import type { SoftwareTarget } from "../../../protocol/index.js";
import { planRollout, type RolloutGateway, type RolloutPlan } from "../domain/fleet/index.js";
import type { Principal } from "./CredentialService.js";
import type { FleetService } from "./FleetService.js";
import type { GatewayService } from "./GatewayService.js";
import { done, invalid, notFound, type Outcome } from "./Outcome.js";
import type { Clock, Logger, Scheduler, TimerHandle } from "./ports.js";
import type { AuditRepository, FleetRepository, RolloutRecord } from "./repositories.js";

/** A rollout to start: the release and where it is, and its stages (defaults: 10 % canaries, 15 min gate). */
export interface RolloutRequest extends SoftwareTarget {
  /** Share of the store's gateways that go first, 0 < share ≤ 1; default 0.1. */
  readonly canaryShare?: number;
  /** How long the canaries run it healthy before the rest go, seconds; default 900. */
  readonly healthGateS?: number;
}

/** A rollout as the API shows it: what was asked and where it stands. */
export interface RolloutView {
  readonly storeId: string;
  readonly release: string;
  readonly url: string;
  readonly sha256: string;
  readonly canaryShare: number;
  readonly healthGateS: number;
  readonly paused: boolean;
  readonly createdAt: number;
  readonly plan: RolloutPlan;
}

export interface RolloutServiceOptions {
  readonly rollouts: Pick<FleetRepository, "putRollout" | "getRollout" | "listRollouts" | "setRolloutPaused" | "desiredConfigs">;
  readonly fleet: Pick<FleetService, "list" | "pushConfig">;
  readonly gateways: Pick<GatewayService, "visibleStore">;
  readonly audit: Pick<AuditRepository, "audit">;
  readonly clock: Clock;
  readonly log: Logger;
  /**
   * Whether this worker leads the fleet (default: always, one process). Only the leader tells
   * gateways to update: two workers advancing the same store at once would each push the release
   * to the same gateway, a config revision apiece.
   */
  readonly isLeader?: () => boolean;
  /** Timers of the sweep that advances every rollout (reports reach whichever worker took them). */
  readonly scheduler?: Scheduler;
  /** How often the leader advances every rollout, ms. Default 10 000. */
  readonly sweepIntervalMs?: number;
}

const actorOf = (principal: Principal): string => `api-key:${principal.keyId}`;

/**
 * Staged software rollouts per store: the operator names a release; the canaries get it first
 * (their desired config's `software`), the rest once every canary ran it healthy for the gate;
 * a gateway that rolls it back halts the rollout. Advanced whenever a gateway of the store reports
 * (status or telemetry, every `telemetryIntervalS` at the latest) and when a rollout is started
 * or resumed, so it needs no timer of its own. Pure rules in `planRollout`.
 */
export class RolloutService {
  /** One advance per store at a time; a report during one asks for another after it. */
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  private timer: TimerHandle | null = null;

  constructor(private readonly o: RolloutServiceOptions) {}

  /** Starts the leader's periodic sweep: a report taken by another worker moves the rollout on here. */
  startSweep(): void {
    if (this.timer !== null || !this.o.scheduler) return;
    this.timer = this.o.scheduler.setInterval(() => {
      this.sweep().catch((err: unknown) => this.o.log.error({ err }, "rollout sweep failed"));
    }, this.o.sweepIntervalMs ?? 10_000);
  }

  stopSweep(): void {
    if (this.timer !== null) this.o.scheduler?.clearInterval(this.timer);
    this.timer = null;
  }

  /** Advances every unpaused rollout (the leader's; elsewhere nothing). */
  async sweep(): Promise<void> {
    if (!this.leads()) return;
    for (const rollout of await this.o.rollouts.listRollouts()) if (!rollout.paused) await this.advance(rollout.storeId);
  }

  private leads(): boolean {
    return this.o.isLeader?.() ?? true;
  }

  async start(principal: Principal, storeId: string, request: RolloutRequest): Promise<Outcome<RolloutView>> {
    const store = await this.o.gateways.visibleStore(principal, storeId);
    if (!store.ok) return store;
    const canaryShare = request.canaryShare ?? 0.1;
    if (!(canaryShare > 0 && canaryShare <= 1))
      return invalid([{ path: "/canaryShare", message: "must be more than 0 and at most 1" }]);
    const now = this.o.clock.now();
    await this.o.rollouts.putRollout(
      {
        storeId,
        release: request.release,
        url: request.url,
        sha256: request.sha256,
        canaryShare,
        healthGateMs: (request.healthGateS ?? 900) * 1000,
      },
      now,
    );
    await this.o.audit.audit({
      at: now,
      actor: actorOf(principal),
      action: "rollout.start",
      target: `store:${storeId}`,
      detail: { release: request.release, canaryShare, healthGateS: request.healthGateS ?? 900 },
    });
    this.o.log.info({ storeId, release: request.release }, "rollout started");
    await this.advance(storeId);
    return this.view(principal, storeId);
  }

  async view(principal: Principal, storeId: string): Promise<Outcome<RolloutView>> {
    const store = await this.o.gateways.visibleStore(principal, storeId);
    if (!store.ok) return store;
    const rollout = await this.o.rollouts.getRollout(storeId);
    if (!rollout) return notFound("no rollout in this store");
    return done(viewOf(rollout, await this.plan(rollout)));
  }

  async setPaused(principal: Principal, storeId: string, paused: boolean): Promise<Outcome<RolloutView>> {
    const store = await this.o.gateways.visibleStore(principal, storeId);
    if (!store.ok) return store;
    const now = this.o.clock.now();
    if (!(await this.o.rollouts.setRolloutPaused(storeId, paused, now))) return notFound("no rollout in this store");
    await this.o.audit.audit({ at: now, actor: actorOf(principal), action: paused ? "rollout.pause" : "rollout.resume", target: `store:${storeId}` });
    if (!paused) await this.advance(storeId);
    return this.view(principal, storeId);
  }

  /** A gateway of the store reported: the rollout may move on. Never rejects. */
  noteReport(storeId: string): void {
    void this.advance(storeId).catch((err: unknown) => this.o.log.error({ err, storeId }, "rollout not advanced"));
  }

  /** Tells the gateways the plan assigns now (those not told yet) to run the release; the leader only. */
  advance(storeId: string): Promise<void> {
    // Another worker leads: its sweep moves this store on (at most one sweep interval later).
    if (!this.leads()) return Promise.resolve();
    const current = this.running.get(storeId);
    if (current) {
      this.again.add(storeId);
      return current;
    }
    const run = this.advanceOnce(storeId).finally(() => {
      this.running.delete(storeId);
      if (this.again.delete(storeId)) void this.advance(storeId);
    });
    this.running.set(storeId, run);
    return run;
  }

  private async advanceOnce(storeId: string): Promise<void> {
    const rollout = await this.o.rollouts.getRollout(storeId);
    if (!rollout || rollout.paused) return;
    const plan = await this.plan(rollout);
    if (plan.assign.length === 0) return;
    const told = new Set(
      (await this.o.rollouts.desiredConfigs())
        .filter((d) => d.storeId === storeId && d.config.software?.release === rollout.release)
        .map((d) => d.gatewayId),
    );
    const software: SoftwareTarget = { release: rollout.release, url: rollout.url, sha256: rollout.sha256 };
    const views = await this.o.fleet.list({ storeId });
    for (const id of plan.assign) {
      const gateway = views.find((g) => g.id === id);
      if (!gateway || told.has(id)) continue;
      // The release changes; the gateway's presence tuning stays as it was.
      const pushed = await this.o.fleet.pushConfig({ id, storeId, name: gateway.name }, { software }, `rollout:${storeId}`, {
        keepPresence: true,
      });
      if (pushed.ok) this.o.log.info({ storeId, gatewayId: id, release: rollout.release, phase: plan.phase }, "rollout: gateway told to update");
      else this.o.log.warn({ storeId, gatewayId: id, code: pushed.code, message: pushed.message }, "rollout: config push failed");
    }
  }

  private async plan(rollout: RolloutRecord): Promise<RolloutPlan> {
    const gateways: RolloutGateway[] = (await this.o.fleet.list({ storeId: rollout.storeId })).map((g) => ({
      id: g.id,
      state: g.state,
      // The gateway's clock (NTP-synchronised: the unit wants time-sync.target).
      lastUpdate: g.update === null ? null : { outcome: g.update.outcome, to: g.update.to, at: Date.parse(g.update.at) },
    }));
    return planRollout(
      { release: rollout.release, canaryShare: rollout.canaryShare, healthGateMs: rollout.healthGateMs, paused: rollout.paused },
      gateways,
      this.o.clock.now(),
    );
  }
}

function viewOf(rollout: RolloutRecord, plan: RolloutPlan): RolloutView {
  return {
    storeId: rollout.storeId,
    release: rollout.release,
    url: rollout.url,
    sha256: rollout.sha256,
    canaryShare: rollout.canaryShare,
    healthGateS: Math.round(rollout.healthGateMs / 1000),
    paused: rollout.paused,
    createdAt: rollout.createdAt,
    plan,
  };
}
