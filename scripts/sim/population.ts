import { iBeaconAdvert } from "../../gateway/src/adapters/sim/SimWorld.js";
import { distance, type FloorPlan, gatewayOf, type Point } from "./floorPlan.js";
import type { Transmitter } from "./RadioModel.js";
import { clamp, exponential, logNormal, normal, type Random, streamOf, uniform } from "./rng.js";
import { type Trajectory, TrajectoryBuilder } from "./Trajectory.js";

/** The retailer's app advertises this iBeacon UUID on shoppers' phones; major.minor number the phone. */
export const APP_UUID = "a7ae2eb7-1f00-4168-b99b-a749bac1ca64";
/** Staff badges. */
export const STAFF_UUID = "5a4bcfce-174e-4bac-a814-092e77f6b7e5";
/** Beacons fixed to the fittings. */
export const FIXED_UUID = "f7826da6-4fa2-4e98-8024-bc5b71e0893e";

export type Role = "shopper" | "passer-by" | "staff" | "fixed";

/** Advertising rate of the phones (badges and fixed beacons keep their own). */
export type RateMode = "ios" | "android" | "1hz";

/**
 * Advertising interval of a phone per mode, ms: an iPhone advertising an iBeacon in the foreground
 * at Apple's recommended 100 ms; Android's AdvertiseSettings ADVERTISE_MODE_BALANCED (250 ms) and
 * ADVERTISE_MODE_LOW_POWER (1 s, the "1hz" mode). Every advertising event also gets the 0-10 ms
 * advDelay the Core Specification adds (Vol 6, Part B, 4.4.2.2.1).
 */
export const PHONE_INTERVAL_MS: Readonly<Record<RateMode, number>> = { ios: 100, android: 250, "1hz": 1000 };
const BADGE_INTERVAL_MS = 500;
const FIXED_INTERVAL_MS = 1000;

export interface PopulationOptions {
  readonly seed: number;
  /** Capture start, epoch ms. */
  readonly startAt: number;
  readonly durationMs: number;
  readonly rate: RateMode;
  /** Shoppers walking in, per hour. Default 90. */
  readonly shoppersPerHour: number;
  /** People walking past the window, per hour. Default 300. */
  readonly passersPerHour: number;
  /** Share of passers-by who stop at the window for a few seconds. Default 0.1. */
  readonly windowShopperShare: number;
  readonly staff: number;
  /** Standard deviation of phones' transmit power around the advertised calibration, dB. Default 3. */
  readonly txSpreadDb: number;
}

export interface Advertiser {
  readonly index: number;
  readonly role: Role;
  readonly subjectId: string;
  readonly data: Uint8Array;
  readonly intervalMs: number;
  readonly tx: Transmitter;
  readonly trajectory: Trajectory;
  /** Phones rotate a random address every 15 min; badges and fixed beacons keep one. */
  readonly rotatesAddress: boolean;
  /** Passers-by: how long they stood at the window, ms. */
  readonly pausedMs: number;
}

/**
 * Everyone the gateways can hear over the run, drawn from the seed: shoppers who walk along the
 * pavement, come in, browse a few spots (some pay at the till) and leave; passers-by (a share of them
 * stop at the window); staff wandering the floor all day; and beacons fixed to the fittings.
 * Arrivals are Poisson; shoppers stop arriving 12 minutes before the end (half-way through runs
 * shorter than 24 minutes) so that visits end inside the capture.
 */
export function buildPopulation(plan: FloorPlan, o: PopulationOptions): Advertiser[] {
  const out: Advertiser[] = [];
  const endAt = o.startAt + o.durationMs;
  let appPhones = 0;
  const appSubject = (): { id: string; data: Uint8Array } => {
    const n = appPhones++;
    const major = 1 + Math.floor(n / 65535);
    const minor = 1 + (n % 65535);
    return { id: `ibeacon:${APP_UUID}:${major}:${minor}`, data: iBeaconAdvert(APP_UUID, major, minor, -59) };
  };
  const phoneTx = (random: Random): Transmitter => ({
    txOffsetDb: clamp(normal(random) * o.txSpreadDb, -3 * o.txSpreadDb, 3 * o.txSpreadDb),
    bodyLossDb: uniform(random, 3, 10),
    // Three in four carry the phone in front (hand, front pocket, bag in front), one in four behind.
    bearingRad: random() < 0.75 ? 0 : Math.PI,
  });

  // Arrivals of shoppers and passers-by, merged by time so subject numbers follow arrival order.
  const arrivals: { at: number; role: "shopper" | "passer-by"; k: number }[] = [];
  const schedule = (role: "shopper" | "passer-by", perHour: number, until: number): void => {
    if (perHour <= 0) return;
    const random = streamOf(o.seed, "arrivals", role);
    let t = o.startAt;
    for (let k = 0; ; k++) {
      t += Math.round(exponential(random, 3_600_000 / perHour));
      if (t >= until) break;
      arrivals.push({ at: t, role, k });
    }
  };
  schedule("shopper", o.shoppersPerHour, endAt - Math.min(12 * 60_000, o.durationMs / 2));
  schedule("passer-by", o.passersPerHour, endAt - 90_000);
  arrivals.sort((a, b) => a.at - b.at || (a.role < b.role ? -1 : a.role > b.role ? 1 : a.k - b.k));

  for (const arrival of arrivals) {
    const random = streamOf(o.seed, arrival.role, arrival.k);
    const subject = appSubject();
    const tx = phoneTx(random);
    const built =
      arrival.role === "shopper"
        ? shopperPath(plan, random, arrival.at)
        : passerByPath(plan, random, arrival.at, o.windowShopperShare);
    out.push({
      index: out.length,
      role: arrival.role,
      subjectId: subject.id,
      data: subject.data,
      intervalMs: PHONE_INTERVAL_MS[o.rate],
      tx,
      trajectory: built.trajectory,
      rotatesAddress: true,
      pausedMs: built.pausedMs,
    });
  }

  for (let s = 0; s < o.staff; s++) {
    const random = streamOf(o.seed, "staff", s);
    out.push({
      index: out.length,
      role: "staff",
      subjectId: `ibeacon:${STAFF_UUID}:1:${s + 1}`,
      data: iBeaconAdvert(STAFF_UUID, 1, s + 1, -59),
      intervalMs: BADGE_INTERVAL_MS,
      tx: { txOffsetDb: normal(random), bodyLossDb: uniform(random, 3, 10), bearingRad: 0 },
      trajectory: staffPath(plan, random, o.startAt, endAt, s === 0 ? 0.6 : 0.15),
      rotatesAddress: false,
      pausedMs: 0,
    });
  }

  plan.fixedBeacons.forEach((site, i) => {
    const random = streamOf(o.seed, "fixed", i);
    const builder = new TrajectoryBuilder(o.startAt, site.position).stand(o.durationMs, 0);
    out.push({
      index: out.length,
      role: "fixed",
      subjectId: `ibeacon:${FIXED_UUID}:2:${i + 1}`,
      data: iBeaconAdvert(FIXED_UUID, 2, i + 1, -59),
      intervalMs: FIXED_INTERVAL_MS,
      tx: { txOffsetDb: normal(random) * 2, bodyLossDb: 0, bearingRad: 0 },
      trajectory: builder.build(),
      rotatesAddress: false,
      pausedMs: 0,
    });
  });
  return out;
}

/** A random spot to browse: well inside the store zone, out of the till zone, within the walls. */
export function browseSpot(plan: FloorPlan, random: Random): Point {
  const store = plan.zones.find((z) => z.id === "store");
  const till = plan.zones.find((z) => z.id === "till");
  if (store === undefined || till === undefined)
    throw new RangeError("the plan needs a store and a till zone");
  const c = gatewayOf(plan, store.gatewayId).position;
  const tc = gatewayOf(plan, till.gatewayId).position;
  const r = store.radiusM - plan.spotMarginM;
  const s = plan.store;
  for (;;) {
    const p = { x: uniform(random, c.x - r, c.x + r), y: uniform(random, c.y - r, c.y + r) };
    if (distance(p, c) > r) continue;
    if (distance(p, tc) < till.radiusM + 1) continue;
    if (p.x < s.minX + 0.8 || p.x > s.maxX - 0.8 || p.y < s.minY + 1 || p.y > s.maxY - 0.8) continue;
    return p;
  }
}

const walkSpeed = (random: Random, mean: number): number => clamp(mean + 0.15 * normal(random), 0.7, 1.8);

/** Stands `ms` at the current spot, turning to a new random heading every 4-15 s (shelves, mirrors). */
function browse(b: TrajectoryBuilder, random: Random, ms: number): void {
  let left = ms;
  while (left > 0) {
    const turn = Math.min(left, uniform(random, 4000, 15_000));
    b.stand(turn, uniform(random, -Math.PI, Math.PI));
    left -= turn;
  }
}

/**
 * A shopper: walks along the pavement from one end of the street to the door, comes in, browses and
 * leaves by the door to either end. About one in five pops in briefly (one spot, 2-12 s); the rest
 * browse 2-6 spots for 5 s to 3 min each, and a third of them pay at the till (20-90 s).
 */
function shopperPath(
  plan: FloorPlan,
  random: Random,
  at: number,
): { trajectory: Trajectory; pausedMs: number } {
  const { street, door } = plan;
  const fromLeft = random() < 0.5;
  const lane = uniform(random, street.laneMinY, street.laneMaxY);
  const pace = walkSpeed(random, 1.25);
  const doorX = uniform(random, door.minX + 0.4, door.maxX - 0.4);
  const b = new TrajectoryBuilder(at, { x: fromLeft ? street.fromX : street.toX, y: lane });
  b.walk({ x: doorX, y: lane }, pace).walk({ x: doorX, y: -0.4 }, pace).walk({ x: doorX, y: 0.6 }, pace);
  const inside = walkSpeed(random, 0.9);
  if (random() < 0.2) {
    b.walk(browseSpot(plan, random), inside);
    browse(b, random, uniform(random, 2000, 12_000));
  } else {
    const spots = 2 + Math.floor(random() * 5);
    let budget = 8 * 60_000;
    for (let i = 0; i < spots && budget > 0; i++) {
      b.walk(browseSpot(plan, random), inside);
      const ms = Math.min(budget, clamp(logNormal(random, 25_000, 0.8), 5000, 180_000));
      browse(b, random, ms);
      budget -= ms;
    }
    if (random() < 0.35) {
      b.walk(plan.tillSpot, inside);
      b.stand(uniform(random, 20_000, 90_000), Math.PI / 2);
    }
  }
  const outX = uniform(random, door.minX + 0.4, door.maxX - 0.4);
  const outLane = uniform(random, street.laneMinY, street.laneMaxY);
  const toLeft = random() < 0.5;
  b.walk({ x: outX, y: 0.6 }, inside).walk({ x: outX, y: -0.4 }, pace).walk({ x: outX, y: outLane }, pace);
  b.walk({ x: toLeft ? street.fromX : street.toX, y: outLane }, pace);
  return { trajectory: b.build(), pausedMs: 0 };
}

/** Someone walking past along the pavement; a share stop at the window for 4-25 s, facing it. */
function passerByPath(
  plan: FloorPlan,
  random: Random,
  at: number,
  windowShopperShare: number,
): { trajectory: Trajectory; pausedMs: number } {
  const { street, store } = plan;
  const leftToRight = random() < 0.5;
  const lane = uniform(random, street.laneMinY, street.laneMaxY);
  const pace = walkSpeed(random, 1.3);
  const from = { x: leftToRight ? street.fromX : street.toX, y: lane };
  const to = { x: leftToRight ? street.toX : street.fromX, y: lane };
  const b = new TrajectoryBuilder(at, from);
  let pausedMs = 0;
  if (random() < windowShopperShare) {
    const x = uniform(random, store.minX + 0.5, store.maxX - 0.5);
    b.walk({ x, y: lane }, pace).walk({ x, y: plan.windowY }, pace * 0.7);
    pausedMs = Math.round(uniform(random, 4000, 25_000));
    b.stand(pausedMs, Math.PI / 2 + 0.3 * normal(random));
    b.walk({ x, y: lane }, pace * 0.7);
  }
  b.walk(to, pace);
  return { trajectory: b.build(), pausedMs };
}

/** Staff wander between spots all day; `tillShare` of their stops are at the till. */
function staffPath(
  plan: FloorPlan,
  random: Random,
  startAt: number,
  endAt: number,
  tillShare: number,
): Trajectory {
  const b = new TrajectoryBuilder(startAt, browseSpot(plan, random));
  while (b.now < endAt) {
    const atTill = random() < tillShare;
    b.walk(atTill ? plan.tillSpot : browseSpot(plan, random), walkSpeed(random, 1.0));
    browse(b, random, clamp(logNormal(random, atTill ? 120_000 : 45_000, 0.7), 5000, 900_000));
  }
  return b.build();
}
