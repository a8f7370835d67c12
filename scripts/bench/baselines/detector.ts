import { decodeAdvertisement, subjectOf } from "../../../gateway/src/domain/advert/index.js";
import type { Advert } from "../../../gateway/src/services/ports.js";
import { measuredPowerAt1m } from "../../../gateway/src/services/ScanPipeline.js";
import type { Zone } from "../../../protocol/index.js";

/** An enter or exit a detector decided (dwell marks are not compared). */
export interface Detection {
  readonly type: "enter" | "exit";
  readonly subjectId: string;
  readonly zoneId: string;
  /** Epoch ms. */
  readonly at: number;
}

/**
 * A presence detector under comparison, driven like the gateway's pipeline in a replay: adverts in
 * timestamp order, a tick every second of capture time.
 */
export interface PresenceDetector {
  readonly name: string;
  onAdvert(advert: Advert): Detection[];
  tick(now: number): Detection[];
}

type RangeZone = Extract<Zone, { shape: "gateway-radius" }>;

export interface ThresholdDetectorOptions {
  readonly zones: readonly Zone[];
  /** Power at 1 m when the beacon advertises none, dBm. Default -59. */
  readonly defaultMeasuredPowerDbm?: number;
  /** A subject unheard by the zone's gateway this long leaves, ms. Default 5000 (room-assistant's `timeout`). */
  readonly unheardTimeoutMs?: number;
}

/** One beacon, as a detector sees it: decoded with the gateway's own decoder. */
export interface Heard {
  readonly subjectId: string;
  readonly gatewayId: string;
  readonly rssi: number;
  readonly measuredPowerDbm: number;
}

interface Link {
  present: boolean;
  lastHeardAt: number;
}

/**
 * The skeleton both peer baselines share: per (subject, gateway-radius zone) a present flag that a
 * per-advert distance test sets and clears, no hysteresis, no minimum evidence; and an exit when the
 * zone's gateway has not heard the subject for `unheardTimeoutMs`. Subclasses give the distance.
 */
export abstract class ThresholdDetector implements PresenceDetector {
  abstract readonly name: string;
  private readonly zonesByGateway = new Map<string, RangeZone[]>();
  private readonly links = new Map<string, Link>();
  private readonly defaultPower: number;
  private readonly timeoutMs: number;

  constructor(options: ThresholdDetectorOptions) {
    for (const zone of options.zones) {
      if (zone.shape !== "gateway-radius") continue;
      const list = this.zonesByGateway.get(zone.gatewayId) ?? [];
      list.push(zone);
      this.zonesByGateway.set(zone.gatewayId, list);
    }
    this.defaultPower = options.defaultMeasuredPowerDbm ?? -59;
    this.timeoutMs = options.unheardTimeoutMs ?? 5000;
  }

  /** Distance for this advert, metres; the subclass's whole idea. */
  protected abstract distanceM(heard: Heard, t: number): number | null;

  onAdvert(advert: Advert): Detection[] {
    const gatewayId = advert.gatewayId ?? "local";
    const zones = this.zonesByGateway.get(gatewayId);
    if (zones === undefined) return [];
    const beacon = decodeAdvertisement(advert.data);
    const subject = beacon === null ? null : subjectOf(beacon);
    if (beacon === null || subject === null) return [];
    const heard: Heard = {
      subjectId: subject.id,
      gatewayId,
      rssi: advert.rssi,
      measuredPowerDbm: measuredPowerAt1m(beacon) ?? this.defaultPower,
    };
    const d = this.distanceM(heard, advert.t);
    const out: Detection[] = [];
    for (const zone of zones) {
      const key = `${subject.id}\u0000${zone.id}`;
      let link = this.links.get(key);
      if (link === undefined) {
        link = { present: false, lastHeardAt: advert.t };
        this.links.set(key, link);
      }
      link.lastHeardAt = advert.t;
      if (d === null) continue;
      const inside = d <= zone.radiusM;
      if (inside !== link.present) {
        link.present = inside;
        out.push({ type: inside ? "enter" : "exit", subjectId: subject.id, zoneId: zone.id, at: advert.t });
      }
    }
    return out;
  }

  tick(now: number): Detection[] {
    const out: Detection[] = [];
    for (const [key, link] of this.links) {
      if (now - link.lastHeardAt < this.timeoutMs) continue;
      if (link.present) {
        const [subjectId = "", zoneId = ""] = key.split("\u0000");
        out.push({ type: "exit", subjectId, zoneId, at: now });
      }
      this.links.delete(key);
    }
    return out;
  }
}
