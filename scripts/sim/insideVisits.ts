import type { FloorPlan, Point } from "./floorPlan.js";
import { browseSpot } from "./population.js";
import type { RadioModel } from "./RadioModel.js";
import { clamp, logNormal, streamOf, uniform } from "./rng.js";
import { type Trajectory, TrajectoryBuilder } from "./Trajectory.js";
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
  /**
   * How long after the label the member's phone is still heard, ms (at least the 10 s around it).
   * Past those 10 s the member goes on as a shopper does: one who came in walks to a browse spot
   * and browses, one at a browse spot turns and moves on to another, one at the till pays for
   * 5-30 s more and walks out through the door onto the pavement. Drawn from a stream of its own,
   * so the 10 s around the label are the same whatever this is. Default 10 000 (nothing more).
   */
  readonly followMs?: number;
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
    const heard = [...hearPhone(plan, radio, random, tx, trajectory, from, at + AROUND_MS)];
    const followMs = o.followMs ?? AROUND_MS;
    if (followMs > AROUND_MS) {
      const after = streamOf(o.seed, "inside-visits-after", k);
      const last = trajectory.at(at + AROUND_MS) ?? { x: door.x, y: 0 };
      const tail = afterTheLabel(plan, after, where, { x: last.x, y: last.y }, at + AROUND_MS, at + followMs);
      heard.push(...hearPhone(plan, radio, after, tx, tail, at + AROUND_MS + 1000, at + followMs));
    }
    visits.push({ at, where, heard });
  }
  return visits;
}

/** The member's path from `from` at `t0` to `t1`, as a shopper goes on after the label (see `followMs`). */
function afterTheLabel(plan: FloorPlan, random: () => number, where: InsideVisit["where"], from: Point, t0: number, t1: number): Trajectory {
  const b = new TrajectoryBuilder(t0, from);
  const pace = uniform(random, 0.75, 1.05);
  if (where === "till") {
    // Pays, then leaves by the door to the pavement, where the phone is heard until `t1`.
    b.stand(uniform(random, 5000, 30_000), Math.PI / 2);
    const outX = uniform(random, plan.door.minX + 0.4, plan.door.maxX - 0.4);
    b.walk({ x: outX, y: 0.6 }, pace).walk({ x: outX, y: -0.4 }, pace).walk({ x: outX, y: plan.street.laneMinY }, pace);
    b.stand(Math.max(0, t1 - b.now), random() * 2 * Math.PI);
    return b.build();
  }
  if (where === "door") b.walk(browseSpot(plan, random), pace);
  // Browses: turns every 4-15 s, moves on to another spot after a dwell like a shopper's.
  let dwell = where === "door" ? clamp(logNormal(random, 25_000, 0.8), 5000, 180_000) : uniform(random, 0, 30_000);
  while (b.now < t1) {
    const turn = Math.min(dwell, uniform(random, 4000, 15_000));
    b.stand(turn, uniform(random, -Math.PI, Math.PI));
    dwell -= turn;
    if (dwell <= 0) {
      b.walk(browseSpot(plan, random), pace);
      dwell = clamp(logNormal(random, 25_000, 0.8), 5000, 180_000);
    }
  }
  return b.build();
}
