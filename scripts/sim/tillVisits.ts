import { type FloorPlan, gatewayOf } from "./floorPlan.js";
import type { LinkState, RadioModel, Transmitter } from "./RadioModel.js";
import { streamOf } from "./rng.js";
import { type Trajectory, TrajectoryBuilder } from "./Trajectory.js";

const DAY_MS = 86_400_000;
/** A shopper stands at the till this long before the redemption is rung up. */
const AT_TILL_MS = 40_000;

export interface TillVisit {
  /** When the till redeemed the member's coupon, epoch ms: the label's time. */
  readonly at: number;
  /** What each gateway heard of the member's phone. */
  readonly heard: HeardPhone;
}

/** What each gateway heard of a phone, one advert a second, raw RSSI. */
export type HeardPhone = readonly { readonly gatewayId: string; readonly t: number; readonly rssiDbm: number }[];

/**
 * A member's phone: its true power spread around what it advertises by `txSpreadDb`, the body's
 * loss, in front (70 %) or behind. Draws four numbers from `random`.
 */
export function memberPhone(random: () => number, txSpreadDb: number): Transmitter {
  return {
    txOffsetDb: txSpreadDb * (random() + random() + random() - 1.5) * 2,
    bodyLossDb: 5,
    bearingRad: random() < 0.7 ? 0 : Math.PI,
  };
}

/**
 * What every gateway of the plan hears of `tx` carried along `trajectory`, one advert a second
 * from `from` to `to` (both included), through the radio model's own links.
 */
export function hearPhone(
  plan: FloorPlan,
  radio: RadioModel,
  random: () => number,
  tx: Transmitter,
  trajectory: Trajectory,
  from: number,
  to: number,
): HeardPhone {
  const links: LinkState[] = plan.gateways.map(() => ({ valueDb: 0, lastT: null }));
  const heard: { gatewayId: string; t: number; rssiDbm: number }[] = [];
  for (let t = from; t <= to; t += 1000) {
    const pose = trajectory.at(t);
    if (pose === null) continue;
    plan.gateways.forEach((g, i) => {
      const link = links[i];
      if (link === undefined) return;
      const rssi = radio.receive(random, tx, pose, gatewayOf(plan, g.id), link, t);
      if (rssi !== null) heard.push({ gatewayId: g.id, t, rssiDbm: rssi });
    });
  }
  return heard;
}

export interface TillVisitOptions {
  readonly seed: number;
  /** The first visit ends here; one visit a day after it, epoch ms. */
  readonly startAt: number;
  readonly visits: number;
  /** Standard deviation of the phones' true power around what they advertise, dB. */
  readonly txSpreadDb: number;
}

/**
 * Members paying at the till of the simulated shop, one a day: each stands at the plan's till spot
 * for 40 s facing any way, phone in front or in a pocket, advertising once a second; every gateway
 * hears it through the same radio model as the shoppers (same shadowing field, same gateway error).
 * Seeded: the same options give the same visits.
 */
export function simulateTillVisits(plan: FloorPlan, radio: RadioModel, o: TillVisitOptions): TillVisit[] {
  const random = streamOf(o.seed, "till-visits");
  const visits: TillVisit[] = [];
  for (let k = 0; k < o.visits; k++) {
    const at = o.startAt + k * DAY_MS;
    const tx = memberPhone(random, o.txSpreadDb);
    const trajectory = new TrajectoryBuilder(at - AT_TILL_MS, plan.tillSpot).stand(AT_TILL_MS, random() * 2 * Math.PI).build();
    visits.push({ at, heard: hearPhone(plan, radio, random, tx, trajectory, at - AT_TILL_MS, at) });
  }
  return visits;
}
