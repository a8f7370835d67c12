/**
 * A staged software rollout over one store's gateways: a canary share first, a health gate, then
 * the rest; pause and resume; a halt on the first gateway that rolled the release back. Pure: the
 * gateways' reports and the time come in, which gateways to tell now comes out.
 *
 * A gateway runs a release when its last update report says it switched to it and stayed
 * (`updated`), or found it already there (`unchanged`); install-release.sh names releases
 * VERSION-HASH, so two builds of one version are two releases.
 */
import type { GatewayState } from "./gatewayHealth.js";

export interface RolloutSpec {
  /** The release to run, `VERSION-HASH`. */
  readonly release: string;
  /** Share of the store's gateways that go first, 0 < share ≤ 1 (at least one gateway). */
  readonly canaryShare: number;
  /** How long every canary must have run the release, online and not degraded, before the rest go, ms. */
  readonly healthGateMs: number;
  readonly paused: boolean;
}

/** What the cloud knows of one gateway of the store. */
export interface RolloutGateway {
  readonly id: string;
  readonly state: GatewayState;
  /** The last update the gateway reported; `at` epoch ms. */
  readonly lastUpdate: {
    readonly outcome: "updated" | "unchanged" | "rolled-back" | "refused" | "failed";
    readonly to: string | null;
    readonly at: number;
  } | null;
}

export type RolloutPhase = "paused" | "canary" | "gated" | "rest" | "done" | "halted";

export interface RolloutPlan {
  readonly phase: RolloutPhase;
  /** Gateways to tell to update now (not yet on the release, not failed with it); by id. */
  readonly assign: readonly string[];
  /** The canary gateways, by id. */
  readonly canaries: readonly string[];
  /** Gateways that run the release. */
  readonly done: readonly string[];
  /** Gateways that rolled the release back, refused it or failed to install it. */
  readonly failed: readonly string[];
  /** For people: what the rollout waits for, or why it stopped. */
  readonly reason: string;
}

const runs = (g: RolloutGateway, release: string): boolean =>
  g.lastUpdate !== null && g.lastUpdate.to === release && (g.lastUpdate.outcome === "updated" || g.lastUpdate.outcome === "unchanged");

const failedWith = (g: RolloutGateway, release: string): boolean =>
  g.lastUpdate !== null && g.lastUpdate.to === release && !runs(g, release);

/** The canaries: the first ⌈share × n⌉ gateways by id (at least one), so the choice is stable. */
export function canariesOf(gatewayIds: readonly string[], share: number): string[] {
  const sorted = [...gatewayIds].sort();
  if (sorted.length === 0) return [];
  const count = Math.min(sorted.length, Math.max(1, Math.ceil(sorted.length * share)));
  return sorted.slice(0, count);
}

export function planRollout(spec: RolloutSpec, gateways: readonly RolloutGateway[], now: number): RolloutPlan {
  const byId = [...gateways].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const canaries = canariesOf(
    byId.map((g) => g.id),
    spec.canaryShare,
  );
  const done = byId.filter((g) => runs(g, spec.release)).map((g) => g.id);
  const failed = byId.filter((g) => failedWith(g, spec.release)).map((g) => g.id);
  const plan = (phase: RolloutPhase, assign: readonly string[], reason: string): RolloutPlan => ({
    phase,
    assign,
    canaries,
    done,
    failed,
    reason,
  });
  if (byId.length === 0) return plan("done", [], "the store has no gateways");
  if (failed.length > 0)
    return plan("halted", [], `${failed.join(", ")} did not take ${spec.release}; fix or choose another release`);
  if (byId.length > 0 && done.length === byId.length) return plan("done", [], `every gateway runs ${spec.release}`);
  if (spec.paused) return plan("paused", [], "paused");
  const pending = (ids: readonly string[]) => ids.filter((id) => !done.includes(id));
  const canariesPending = pending(canaries);
  if (canariesPending.length > 0)
    return plan("canary", canariesPending, `waiting for the canaries ${canariesPending.join(", ")}`);
  // The gate: every canary online (a degraded one has no radio) for the whole period on the release.
  const unwell = byId.filter((g) => canaries.includes(g.id) && g.state !== "online").map((g) => g.id);
  if (unwell.length > 0) return plan("gated", [], `canaries not healthy: ${unwell.join(", ")}`);
  const since = Math.max(...byId.filter((g) => canaries.includes(g.id)).map((g) => g.lastUpdate?.at ?? now));
  if (now - since < spec.healthGateMs)
    return plan("gated", [], `canaries healthy; the rest go ${Math.ceil((spec.healthGateMs - (now - since)) / 1000)} s from now`);
  return plan("rest", pending(byId.map((g) => g.id)), "canaries passed the health gate");
}
