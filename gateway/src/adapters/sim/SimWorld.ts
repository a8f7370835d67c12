import type { Advert } from "../../services/ports.js";
import { gaussian, seededRandom } from "./random.js";

/** A point on the store's floor plan, metres. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Where a simulated advertiser is at time `t` (epoch ms), or null when out of the building's range. */
export type Path = (t: number) => Point | null;

export interface SimAdvertiser {
  readonly addr: string;
  /** Advertising data (AD structures) it sends. */
  readonly data: Uint8Array;
  /** True received power at 1 m, dBm (what a perfect calibration would advertise). */
  readonly powerAt1mDbm: number;
  readonly intervalMs: number;
  readonly path: Path;
  /**
   * After this moment (epoch ms) it is never heard again and the world forgets it; default never.
   * Lets a long-running simulation keep adding people without the world growing for ever.
   */
  readonly goneAt?: number;
}

export interface SimRadio {
  readonly gatewayId: string;
  readonly position: Point;
}

export interface SimWorldOptions {
  readonly seed: number;
  readonly advertisers: readonly SimAdvertiser[];
  /** Log-distance exponent of the simulated room (2 = free space; shops are 2–3). */
  readonly pathLossExponent: number;
  /** Standard deviation of fast fading, dB. */
  readonly fadingDb: number;
  /** Probability an advert is blocked by a body, losing 3–12 dB (one-sided). */
  readonly bodyLossProbability: number;
  /** Probability an advert is lost outright. */
  readonly packetLoss: number;
  /** Weakest RSSI a radio still reports, dBm. */
  readonly sensitivityDbm: number;
}

/**
 * A seeded radio world: advertisers move along paths, radios at fixed points hear them with path
 * loss, fading, body loss and packet loss. `hear` is pure in (seed, call sequence): the same
 * calls give the same adverts.
 */
export class SimWorld {
  private readonly o: SimWorldOptions;
  private readonly random: () => number;
  private readonly nextAdvertAt = new Map<string, number>();
  private advertisers: SimAdvertiser[];

  constructor(options: SimWorldOptions) {
    this.o = options;
    this.random = seededRandom(options.seed);
    this.advertisers = [...options.advertisers];
  }

  /** Adds someone to the world (a shopper who just arrived); heard from the next `hear` on. */
  add(advertiser: SimAdvertiser): void {
    this.advertisers.push(advertiser);
  }

  /** How many advertisers the world holds (those gone are forgotten at the next `hear`). */
  get size(): number {
    return this.advertisers.length;
  }

  /** Adverts every radio heard in (from, to], in time order. */
  hear(radios: readonly SimRadio[], from: number, to: number): Advert[] {
    const out: Advert[] = [];
    const gone = this.advertisers.filter((a) => a.goneAt !== undefined && a.goneAt < from);
    if (gone.length > 0) {
      this.advertisers = this.advertisers.filter((a) => !gone.includes(a));
      for (const a of gone) this.nextAdvertAt.delete(a.addr);
    }
    for (const advertiser of this.advertisers) {
      // Phases differ per advertiser so adverts do not all land on the same millisecond.
      let next =
        this.nextAdvertAt.get(advertiser.addr) ?? from + Math.floor(this.random() * advertiser.intervalMs);
      while (next <= to) {
        const position = advertiser.path(next);
        if (position) {
          for (const radio of radios) {
            const rssi = this.rssiAt(advertiser, position, radio.position);
            if (rssi !== null) {
              out.push({
                t: next,
                addr: advertiser.addr,
                rssi,
                data: advertiser.data,
                gatewayId: radio.gatewayId,
              });
            }
          }
        }
        // BLE adds 0–10 ms of random delay to every advertising event (Core Spec Vol 6 Part B §4.4.2.2.1).
        next += advertiser.intervalMs + Math.floor(this.random() * 10);
      }
      this.nextAdvertAt.set(advertiser.addr, next);
    }
    return out.sort((a, b) => a.t - b.t);
  }

  private rssiAt(advertiser: SimAdvertiser, at: Point, radio: Point): number | null {
    if (this.random() < this.o.packetLoss) return null;
    const distanceM = Math.max(0.1, Math.hypot(at.x - radio.x, at.y - radio.y));
    let rssi = advertiser.powerAt1mDbm - 10 * this.o.pathLossExponent * Math.log10(distanceM);
    rssi += gaussian(this.random) * this.o.fadingDb;
    if (this.random() < this.o.bodyLossProbability) rssi -= 3 + this.random() * 9;
    const rounded = Math.round(rssi);
    return rounded < this.o.sensitivityDbm ? null : Math.min(rounded, 0);
  }
}

/** An iBeacon advert: flags, then Apple manufacturer data (company 0x004C, type 0x02, length 0x15). */
export function iBeaconAdvert(
  uuid: string,
  major: number,
  minor: number,
  measuredPowerDbm: number,
): Uint8Array {
  const uuidBytes = Buffer.from(uuid.replaceAll("-", ""), "hex");
  if (uuidBytes.length !== 16) throw new Error(`not a UUID: ${uuid}`);
  const out = Buffer.alloc(30);
  out.set([0x02, 0x01, 0x06, 0x1a, 0xff, 0x4c, 0x00, 0x02, 0x15], 0);
  uuidBytes.copy(out, 9);
  out.writeUInt16BE(major, 25);
  out.writeUInt16BE(minor, 27);
  out.writeInt8(measuredPowerDbm, 29);
  return out;
}

/**
 * A shopper's visit: out of range until `arriveAt`, walks from `door` to `spot` at `speedMps`,
 * stays `stayMs`, walks back and is gone. Before and after, `outside` (a point beyond the door)
 * keeps them audible but far, like people on the pavement.
 */
export function visitPath(options: {
  readonly arriveAt: number;
  readonly stayMs: number;
  readonly door: Point;
  readonly spot: Point;
  readonly outside: Point;
  readonly speedMps: number;
}): Path {
  const { arriveAt, stayMs, door, spot, outside, speedMps } = options;
  const approachMs = (Math.hypot(spot.x - door.x, spot.y - door.y) / speedMps) * 1000;
  const leaveAt = arriveAt + approachMs + stayMs;
  const goneAt = leaveAt + approachMs;
  const lerp = (a: Point, b: Point, f: number): Point => ({
    x: a.x + (b.x - a.x) * f,
    y: a.y + (b.y - a.y) * f,
  });
  return (t) => {
    if (t < arriveAt - 15_000 || t > goneAt + 15_000) return null;
    if (t < arriveAt) return outside;
    if (t < arriveAt + approachMs) return lerp(door, spot, (t - arriveAt) / approachMs);
    if (t < leaveAt) return spot;
    if (t < goneAt) return lerp(spot, door, (t - leaveAt) / approachMs);
    return outside;
  };
}

/** Someone walking past the shop front along a line, audible for a few seconds. */
export function passByPath(options: {
  readonly at: number;
  readonly from: Point;
  readonly to: Point;
  readonly speedMps: number;
}): Path {
  const { at, from, to, speedMps } = options;
  const durationMs = (Math.hypot(to.x - from.x, to.y - from.y) / speedMps) * 1000;
  return (t) => {
    if (t < at || t > at + durationMs) return null;
    const f = (t - at) / durationMs;
    return { x: from.x + (to.x - from.x) * f, y: from.y + (to.y - from.y) * f };
  };
}

function between(random: () => number, min: number, max: number): number {
  return min + random() * (max - min);
}

/**
 * A shopper who keeps coming back: visits of `stay` ms at one of `spots`, away `away` ms between.
 * The schedule is drawn from `random` as the path is asked about later times, so every gateway
 * sees the same person; give each path a stream of its own, or the schedule depends on how the
 * draws of other paths interleave with it (on a busy machine, on when the ticks fire).
 */
export function repeatingVisits(options: {
  random: () => number;
  firstArriveAt: number;
  /** Where the first visit goes (what the shopper comes for); later visits draw from `spots`. */
  firstSpot?: Point;
  door: Point;
  /** People outside walk along this line (y), beyond the door. */
  pavementY: number;
  spots: readonly Point[];
  stayMs: readonly [number, number];
  awayMs: readonly [number, number];
}): Path {
  const { random, spots } = options;
  const visits: Path[] = [];
  const ends: number[] = [];
  let next = options.firstArriveAt;
  const extend = (until: number): void => {
    while (next <= until + 60_000) {
      const drawn = spots[Math.floor(random() * spots.length)] ?? options.door;
      const spot = visits.length === 0 ? (options.firstSpot ?? drawn) : drawn;
      const stayMs = between(random, options.stayMs[0], options.stayMs[1]);
      const outsideX = between(random, -6, 6);
      visits.push(
        visitPath({
          arriveAt: next,
          stayMs,
          door: options.door,
          spot,
          outside: { x: outsideX, y: options.pavementY },
          speedMps: 1.2,
        }),
      );
      const walkMs = (Math.hypot(spot.x - options.door.x, spot.y - options.door.y) / 1.2) * 1000;
      ends.push(next + 2 * walkMs + stayMs + 15_000);
      next += 2 * walkMs + stayMs + between(random, options.awayMs[0], options.awayMs[1]);
    }
  };
  return (t) => {
    extend(t);
    for (let i = 0; i < visits.length; i++) {
      if ((ends[i] ?? 0) < t) continue;
      const position = visits[i]?.(t);
      if (position) return position;
    }
    return null;
  };
}

/**
 * A small world for `scanner.source: "sim"` on a single gateway (a bench test of a Pi and its
 * uplink without beacons): three phones that keep visiting a spot a metre from the radio and a
 * stream of people passing at eight metres.
 */
export function standaloneWorld(
  gatewayId: string,
  seed: number,
  startAt: number,
): { world: SimWorld; radio: SimRadio } {
  const advertisers: SimAdvertiser[] = [1, 2, 3].map((n) => ({
    addr: `02:00:00:00:10:0${n}`,
    data: iBeaconAdvert("a7ae2eb7-1f00-4168-b99b-a749bac1ca64", 1, n, -59),
    powerAt1mDbm: -59,
    intervalMs: 200,
    path: repeatingVisits({
      random: seededRandom(seed * 1_000 + n),
      firstArriveAt: startAt + n * 5_000,
      door: { x: 0, y: -3 },
      pavementY: -8,
      spots: [{ x: 0.5, y: 0.5 }],
      stayMs: [40_000, 120_000],
      awayMs: [60_000, 120_000],
    }),
  }));
  for (let k = 0; k < 1000; k++) {
    advertisers.push({
      addr: `02:00:00:00:20:${(k % 256).toString(16).padStart(2, "0")}`,
      data: iBeaconAdvert("0b5e2fd1-4cd6-4d22-8b0f-9bb3a1fa4e30", 7, k, -59),
      powerAt1mDbm: -59,
      intervalMs: 300,
      path: passByPath({
        at: startAt + k * 10_000,
        from: { x: -15, y: -8 },
        to: { x: 15, y: -8 },
        speedMps: 1.3,
      }),
    });
  }
  const world = new SimWorld({
    seed,
    advertisers,
    pathLossExponent: 2.2,
    fadingDb: 2,
    bodyLossProbability: 0.2,
    packetLoss: 0.1,
    sensitivityDbm: -100,
  });
  return { world, radio: { gatewayId, position: { x: 0, y: 0 } } };
}
