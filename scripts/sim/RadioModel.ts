import type { FloorPlan, Point, SimGateway } from "./floorPlan.js";
import { clamp, normal, type Random, streamOf } from "./rng.js";
import { ShadowField } from "./ShadowField.js";
import type { Pose } from "./Trajectory.js";

/** The radio channel between a beacon and the gateways. Every field is a simulator option. */
export interface RadioOptions {
  /** Log-distance exponent of the shop, n (2 free space; 2-3 on a shop floor). Default 2.2. */
  readonly pathLossExponent: number;
  /** Power at 1 m of a nominal phone, dBm: what every app phone advertises as measuredPower. Default -59. */
  readonly referencePowerDbm: number;
  /** Standard deviation of the spatially correlated shadowing, dB. Default 6. */
  readonly shadowingDb: number;
  /** Decorrelation distance of the shadowing, metres. Default 3 (Gudmundson: 2-5 m indoors). */
  readonly decorrelationM: number;
  /** Standard deviation of the slow temporal variation per link (people moving about), dB. Default 2. */
  readonly temporalDb: number;
  /** Correlation time of that variation, ms. Default 4000. */
  readonly temporalTauMs: number;
  /** Rician K-factor (linear) of the fast fading of each advert. Default 3 (≈4 dB spread, deep fades). */
  readonly ricianK: number;
  /** Extra loss through the shop front (glass, wall) when the line of sight misses the door, dB. Default 0. */
  readonly storefrontDb: number;
  /** Weakest signal a gateway reports, dBm. Default -98. */
  readonly sensitivityDbm: number;
  /** Share of adverts lost whatever the signal (scanner on another channel, collisions). Default 0.1. */
  readonly packetLoss: number;
  /**
   * What every gateway's radio adds to the RSSI it reports, dB: its calibration error (receivers and
   * antennas differ by several dB; -6 reads 6 dB low). Reception itself is unchanged. Default 0.
   */
  readonly gatewayOffsetDb: number;
}

export const DEFAULT_RADIO: RadioOptions = Object.freeze({
  pathLossExponent: 2.2,
  referencePowerDbm: -59,
  shadowingDb: 6,
  decorrelationM: 3,
  temporalDb: 2,
  temporalTauMs: 4000,
  ricianK: 3,
  storefrontDb: 0,
  sensitivityDbm: -98,
  packetLoss: 0.1,
  gatewayOffsetDb: 0,
});

/** What a transmitter brings to the link budget. */
export interface Transmitter {
  /** Its true power at 1 m minus the nominal `referencePowerDbm`, dB (phones differ by several dB). */
  readonly txOffsetDb: number;
  /** Loss when the carrier's body is squarely between phone and gateway, dB; 0 for a fixed beacon. */
  readonly bodyLossDb: number;
  /** Where the phone sits relative to the way its carrier faces, radians (0 front pocket or hand, π back pocket). */
  readonly bearingRad: number;
}

/** Slow temporal variation of one transmitter-gateway link (an Ornstein-Uhlenbeck process). */
export interface LinkState {
  valueDb: number;
  lastT: number | null;
}

/**
 * The received signal strength of one advert at one gateway:
 *
 *   rssi = P1m + txOffset - 10 n log10(d) + S_g(x, y) + T(t) + F - B - W
 *
 * - d: slant distance (the gateway hangs `heightAbovePhoneM` above the phone), at least 0.5 m;
 * - S_g: the gateway's spatially correlated shadowing field ({@link ShadowField});
 * - T: slow temporal variation per link, Ornstein-Uhlenbeck with `temporalDb`, `temporalTauMs`;
 * - F: fast fading of this advert, Rician with factor K (each advert rides one of three channels);
 * - B: body loss, `bodyLossDb · (1 - cos θ) / 2` with θ the angle between the way the phone faces and
 *   the gateway: nothing facing the gateway, all of it with the body squarely in between;
 * - W: `storefrontDb` when the straight line crosses the shop front outside the door.
 *
 * Then the advert is lost with probability `packetLoss`, rising linearly to 1 over the last 6 dB
 * above `sensitivityDbm` (weak adverts fail the CRC); the radio reports whole dBm.
 */
export class RadioModel {
  private readonly plan: FloorPlan;
  readonly options: RadioOptions;
  private readonly fields: ReadonlyMap<string, ShadowField>;

  constructor(plan: FloorPlan, options: RadioOptions, seed: number) {
    this.plan = plan;
    this.options = options;
    const bounds = {
      minX: Math.min(plan.street.fromX, plan.street.toX) - 4,
      maxX: Math.max(plan.street.fromX, plan.street.toX) + 4,
      minY: plan.street.laneMinY - 3,
      maxY: plan.store.maxY + 2,
    };
    const fields = new Map<string, ShadowField>();
    for (const g of plan.gateways) {
      fields.set(
        g.id,
        new ShadowField(streamOf(seed, "shadow", g.id), {
          sigmaDb: options.shadowingDb,
          decorrelationM: options.decorrelationM,
          bounds,
        }),
      );
    }
    this.fields = fields;
  }

  /** Mean received power (no fading, no loss, no temporal variation), dBm: for tests and ground truth. */
  meanRssiDbm(tx: Transmitter, pose: Pose, gateway: SimGateway): number {
    const o = this.options;
    const g = gateway.position;
    const dxy = Math.hypot(pose.x - g.x, pose.y - g.y);
    const d = Math.max(0.5, Math.hypot(dxy, this.plan.heightAbovePhoneM));
    let rssi = o.referencePowerDbm + tx.txOffsetDb - 10 * o.pathLossExponent * Math.log10(d);
    rssi += this.fields.get(gateway.id)?.at(pose.x, pose.y) ?? 0;
    if (tx.bodyLossDb > 0) {
      const toGateway = Math.atan2(g.y - pose.y, g.x - pose.x);
      const theta = toGateway - (pose.headingRad + tx.bearingRad);
      rssi -= (tx.bodyLossDb * (1 - Math.cos(theta))) / 2;
    }
    if (o.storefrontDb > 0 && this.crossesStorefront(pose, g)) rssi -= o.storefrontDb;
    return rssi;
  }

  /** One advert heard at one gateway: whole dBm, or null when lost or too weak. */
  receive(
    random: Random,
    tx: Transmitter,
    pose: Pose,
    gateway: SimGateway,
    link: LinkState,
    t: number,
  ): number | null {
    const o = this.options;
    let rssi = this.meanRssiDbm(tx, pose, gateway);
    if (o.temporalDb > 0) {
      const decay = link.lastT === null ? 0 : Math.exp(-(t - link.lastT) / o.temporalTauMs);
      link.valueDb = link.valueDb * decay + o.temporalDb * Math.sqrt(1 - decay * decay) * normal(random);
      link.lastT = t;
      rssi += link.valueDb;
    }
    rssi += ricianFadeDb(random, o.ricianK);
    const margin = rssi - o.sensitivityDbm;
    const loss =
      margin < 6 ? o.packetLoss + (1 - o.packetLoss) * clamp((6 - margin) / 6, 0, 1) : o.packetLoss;
    if (random() < loss) return null;
    if (rssi < o.sensitivityDbm - 0.5) return null;
    return Math.min(Math.round(rssi + o.gatewayOffsetDb), 0);
  }

  /**
   * True when the line from the phone to the gateway crosses the front line (y = 0) anywhere but the
   * door: through the shop's glass, or through the neighbouring buildings, which lose no less.
   */
  private crossesStorefront(p: Point, g: Point): boolean {
    if (p.y < 0 === g.y < 0 || p.y === g.y) return false;
    const x = p.x + ((g.x - p.x) * (0 - p.y)) / (g.y - p.y);
    const { door } = this.plan;
    return x < door.minX || x > door.maxX;
  }
}

/** Fast fading of one advert, dB: 10·log10 |h|² for a Rician channel of factor K with E|h|² = 1. */
export function ricianFadeDb(random: Random, k: number): number {
  const los = Math.sqrt(k / (k + 1));
  const scatter = Math.sqrt(1 / (2 * (k + 1)));
  const re = los + scatter * normal(random);
  const im = scatter * normal(random);
  return 10 * Math.log10(Math.max(re * re + im * im, 1e-6));
}
