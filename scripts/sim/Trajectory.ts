import type { Point } from "./floorPlan.js";

/** One straight leg of a trajectory: walking from `from` to `to`, or standing (`from` = `to`). */
export interface Leg {
  /** Start and end, epoch ms. */
  readonly t0: number;
  readonly t1: number;
  readonly from: Point;
  readonly to: Point;
  /** Where the person faces, radians (0 = +x, π/2 = +y, into the shop). */
  readonly headingRad: number;
}

/** Where someone is and which way they face. */
export interface Pose {
  readonly x: number;
  readonly y: number;
  readonly headingRad: number;
}

/**
 * Where one person (or beacon) is over time: contiguous straight legs. Walking legs face the way of
 * walking; standing legs carry their own heading (a shopper turns to a shelf). Queries are fastest in
 * increasing time order (the simulator's), any order works.
 */
export class Trajectory {
  readonly legs: readonly Leg[];
  private cursor = 0;

  constructor(legs: readonly Leg[]) {
    if (legs.length === 0) throw new RangeError("a trajectory needs at least one leg");
    this.legs = legs;
  }

  get startAt(): number {
    return this.legs[0]?.t0 ?? 0;
  }

  get endAt(): number {
    return this.legs.at(-1)?.t1 ?? 0;
  }

  /** Pose at `t`, or null outside [startAt, endAt]. */
  at(t: number): Pose | null {
    if (t < this.startAt || t > this.endAt) return null;
    const legs = this.legs;
    let i = this.cursor;
    if ((legs[i]?.t0 ?? 0) > t) i = 0;
    while (i < legs.length - 1 && (legs[i]?.t1 ?? 0) < t) i++;
    this.cursor = i;
    const leg = legs[i];
    if (leg === undefined) return null;
    const span = leg.t1 - leg.t0;
    const f = span > 0 ? Math.min(1, Math.max(0, (t - leg.t0) / span)) : 0;
    return {
      x: leg.from.x + (leg.to.x - leg.from.x) * f,
      y: leg.from.y + (leg.to.y - leg.from.y) * f,
      headingRad: leg.headingRad,
    };
  }

  /**
   * The time intervals [enter, leave] during which the horizontal distance to `center` is at most
   * `radiusM`, solved exactly per leg and joined where legs meet. Ascending, disjoint.
   */
  insideIntervals(center: Point, radiusM: number): { enterAt: number; leaveAt: number }[] {
    const out: { enterAt: number; leaveAt: number }[] = [];
    const r2 = radiusM * radiusM;
    for (const leg of this.legs) {
      const span = solveInside(leg, center, r2);
      if (span === null) continue;
      const enterAt = leg.t0 + (leg.t1 - leg.t0) * span[0];
      const leaveAt = leg.t0 + (leg.t1 - leg.t0) * span[1];
      const last = out.at(-1);
      if (last !== undefined && enterAt - last.leaveAt <= 1e-6) last.leaveAt = leaveAt;
      else out.push({ enterAt, leaveAt });
    }
    return out;
  }
}

/** The fraction [s0, s1] of a leg inside the circle, or null. */
function solveInside(leg: Leg, c: Point, r2: number): [number, number] | null {
  const dx = leg.to.x - leg.from.x;
  const dy = leg.to.y - leg.from.y;
  const ox = leg.from.x - c.x;
  const oy = leg.from.y - c.y;
  const a = dx * dx + dy * dy;
  const b = 2 * (ox * dx + oy * dy);
  const k = ox * ox + oy * oy - r2;
  if (a === 0) return k <= 0 ? [0, 1] : null;
  const disc = b * b - 4 * a * k;
  if (disc < 0) return null;
  const root = Math.sqrt(disc);
  const s0 = Math.max(0, (-b - root) / (2 * a));
  const s1 = Math.min(1, (-b + root) / (2 * a));
  return s0 <= s1 ? [s0, s1] : null;
}

/** Builds a trajectory leg by leg from a starting point and time. */
export class TrajectoryBuilder {
  private readonly legs: Leg[] = [];
  private t: number;
  private at: Point;

  constructor(startAt: number, start: Point) {
    this.t = startAt;
    this.at = start;
  }

  get now(): number {
    return this.t;
  }

  get position(): Point {
    return this.at;
  }

  /** Walks in a straight line to `to` at `speedMps`. */
  walk(to: Point, speedMps: number): this {
    const d = Math.hypot(to.x - this.at.x, to.y - this.at.y);
    if (d < 1e-9) return this;
    const ms = Math.round((d / speedMps) * 1000);
    const headingRad = Math.atan2(to.y - this.at.y, to.x - this.at.x);
    this.legs.push({ t0: this.t, t1: this.t + ms, from: this.at, to, headingRad });
    this.t += ms;
    this.at = to;
    return this;
  }

  /** Stands still for `ms`, facing `headingRad`. */
  stand(ms: number, headingRad: number): this {
    const duration = Math.max(0, Math.round(ms));
    if (duration === 0) return this;
    this.legs.push({ t0: this.t, t1: this.t + duration, from: this.at, to: this.at, headingRad });
    this.t += duration;
    return this;
  }

  build(): Trajectory {
    if (this.legs.length === 0) this.stand(1, 0);
    return new Trajectory(this.legs);
  }
}
