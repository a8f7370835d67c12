import type { FloorPlan } from "./floorPlan.js";
import { browseSpot } from "./population.js";
import type { RadioModel } from "./RadioModel.js";
import { streamOf } from "./rng.js";
import { TrajectoryBuilder } from "./Trajectory.js";
import { type HeardPhone, hearPhone, memberPhone } from "./tillVisits.js";

const DAY_MS = 86_400_000;
/** Heard from this long before the label to this long after it (the learner looks ±5 s). */
const AROUND_MS = 10_000;

export interface InsideVisit {
  /** When the phone reported hearing the store beacon, epoch ms: the label's time. */
  readonly at: number;
  /** Where the member was, for the report: `door` (walking in), `floor` (a browse spot), `till`. */
  readonly where: "door" | "floor" | "till";
  /** What each gateway heard of the member's phone. */
  readonly heard: HeardPhone;
}

export interface InsideVisitOptions {
  readonly seed: number;
  /** The first label's time; one a day after it, epoch ms. */
  readonly startAt: number;
  readonly visits: number;
  /** Standard deviation of the phones' true power around what they advertise, dB. */
  readonly txSpreadDb: number;
  /**
   * Share of labels made as the member walks in through the door: a phone reports the store beacon
   * when it first hears it, which is on arrival (an assumption: how often an app reports later in
   * a visit depends on the platform's ranging). Default 0.3.
   */
  readonly doorShare?: number;
  /** Share made at the till. Default 0.15; the rest at browse spots of the sales floor. */
  readonly tillShare?: number;
}

/**
 * Members whose phones report hearing the store beacon, one a day: the label says "inside at T",
 * the member being somewhere the phone hears the beacon: walking in through the door, standing at a
 * browse spot of the sales floor, or at the till. Every gateway hears the phone through the same
 * radio model as the shoppers (same shadowing field, same gateway error). Seeded.
 */
export function simulateInsideVisits(plan: FloorPlan, radio: RadioModel, o: InsideVisitOptions): InsideVisit[] {
  const random = streamOf(o.seed, "inside-visits");
  const doorShare = o.doorShare ?? 0.3;
  const tillShare = o.tillShare ?? 0.15;
  const door = { x: (plan.door.minX + plan.door.maxX) / 2, y: 0 };
  const visits: InsideVisit[] = [];
  for (let k = 0; k < o.visits; k++) {
    const at = o.startAt + k * DAY_MS;
    const tx = memberPhone(random, o.txSpreadDb);
    const u = random();
    const where: InsideVisit["where"] = u < doorShare ? "door" : u < doorShare + tillShare ? "till" : "floor";
    const from = at - AROUND_MS;
    const trajectory =
      where === "door"
        ? // From the pavement, 1 m/s: at the door at the label's time, 10 m in 10 s after.
          new TrajectoryBuilder(from, { x: door.x, y: -AROUND_MS / 1000 })
            .walk({ x: door.x, y: Math.min(plan.store.maxY - 1, AROUND_MS / 1000) }, 1)
            .build()
        : new TrajectoryBuilder(from, where === "till" ? plan.tillSpot : browseSpot(plan, random)).stand(2 * AROUND_MS, random() * 2 * Math.PI).build();
    visits.push({ at, where, heard: hearPhone(plan, radio, random, tx, trajectory, from, at + AROUND_MS) });
  }
  return visits;
}
