import type { PresenceTuning, Subject, Zone } from "../../../../protocol/index.js";
import { type BeaconLists, type BeaconVerdict, beaconFilter } from "./beaconFilter.js";
import { calibrateRssi, isPlausibleMeasuredPower, resolveMeasuredPowerDbm } from "../signal/calibration.js";
import { DEFAULT_MAX_DISTANCE_M, distanceFromRssi } from "../signal/distanceFromRssi.js";
import { DEFAULT_SMOOTHER_OPTIONS, RssiSmoother, type RssiSmootherOptions } from "../signal/RssiSmoother.js";
import { fusePosition, type RangeAnchor } from "../zones/fusePosition.js";
import {
  type Containment,
  classifyClearance,
  type GeoEstimate,
  type GeoPoint,
  geoDistanceM,
  isValidGeoPoint,
  rangeClearanceM,
  zoneExitMarginM,
} from "../zones/geofence.js";
import { ZoneFence } from "../zones/ZoneFence.js";
import { chooseOwner, DEFAULT_HANDOVER_MARGIN_DB, type OwnerCandidate } from "./chooseOwner.js";
import { PresenceError } from "./PresenceError.js";
import { countsForInside } from "./sequentialEnter.js";
import type { Fix, GatewaySite, PresenceChange, Sighting } from "./types.js";
import { type TrackRules, type TrackSample, ZoneTrack } from "./ZoneTrack.js";

export type { Fix, GatewaySite, PresenceChange, PresenceChangeType, Sighting } from "./types.js";

/**
 * Tuning we recommend as the gateway config's defaults:
 * - pathLossExponent 2.2: an open shop floor; the upper-quantile smoothing already removes most of
 *   the body-blocking loss a larger exponent would otherwise absorb;
 * - enterMinSamples 5 within enterWindowMs 10 s: about 5 s in the zone, judged on the stricter
 *   enter estimate (`enterQuantile`), so someone walking through a 2-3 m zone is not counted;
 * - exitMarginM 5 (a zone may set its own) and exitAfterMs 30 s: a shopper turning away or stepping
 *   behind a shelf keeps the visit. RSSI ranging errs by a factor, not by metres (log-normal
 *   shadowing), so a 5 m zone at its true size needs a margin of about its radius: at 1.5 m the
 *   defaults flapped 10.6 times per 50 visits on fresh simulator seeds, at 5 m none
 *   (docs/benchmarks.md, "Defaults at the zone's true size");
 * - enterRankPerSecond: the enter test ranks one value per second, so its strictness does not
 *   change with the advertising rate (a phone at 10 adverts/s is not judged on ten times the noise);
 * - dwell marks at 1, 3 and 10 minutes;
 * - no `enterSequential`: the sequential enter test shortened the enter latency tail where it was
 *   long, but over the configurations a store runs it met no more targets than the k-of-n rule
 *   alone and flagged more passers-by (docs/benchmarks.md, "A sequential enter test");
 * - no `enterPooledDepth`: on the fresh seeds it brought the surveyed, pooled store's passers-by
 *   flagged within 1% at 3 dB of shadowing, but at 6 dB it cost the enter latency targets and
 *   still missed the flagged one (docs/benchmarks.md, "Passers-by at the window: evidence depth");
 *   the site survey turns it on in a shop whose walked edges spread little (siteSurvey.ts).
 */
export const RECOMMENDED_PRESENCE_TUNING: PresenceTuning = Object.freeze({
  pathLossExponent: 2.2,
  enterMinSamples: 5,
  enterWindowMs: 10_000,
  exitMarginM: 5,
  enterRankPerSecond: true,
  exitAfterMs: 30_000,
  dwellMarksMs: Object.freeze([60_000, 180_000, 600_000]) as number[],
});

/** Engine defaults for the optional knobs of {@link PresenceEngineOptions}. */
export const PRESENCE_ENGINE_DEFAULTS = Object.freeze({
  enterQuantile: 0.6,
  sampleIntervalMs: 1000,
  handoverMarginDb: DEFAULT_HANDOVER_MARGIN_DB,
  maxDistanceM: DEFAULT_MAX_DISTANCE_M,
  maxSubjects: 10_000,
  maxFixAccuracyM: 100,
  fixGatewayId: "gps",
});

export interface PresenceEngineOptions {
  /**
   * Geofences (protocol ZoneSchema): gateway-radius, circle or polygon. Ids must be unique. A zone's
   * own `exitMarginM` overrides `tuning.exitMarginM` for that zone.
   */
  readonly zones: readonly Zone[];
  /** Thresholds (protocol PresenceTuningSchema), every field given. */
  readonly tuning: PresenceTuning;
  /** Gateways of the store; a sighting from a gateway not listed has offset 0 and no position. */
  readonly gateways: readonly GatewaySite[];
  /** Power at 1 m when a beacon advertises none, dBm. Default -59. */
  readonly defaultMeasuredPowerDbm?: number;
  /** Per-subject power at 1 m (subject id -> dBm), overriding what the beacon advertises. */
  readonly calibration?: ReadonlyMap<string, number>;
  /**
   * Allow and deny lists of beacons (staff badges, fixed beacons near the till); a subject they
   * exclude is never tracked, so it never enters a zone. Default: every subject is tracked.
   */
  readonly beacons?: BeaconLists;
  /** RSSI smoothing; defaults: 4000 ms window, 0.75 quantile, 64 samples. */
  readonly smoothing?: Partial<RssiSmootherOptions>;
  /**
   * Rank of the stricter RSSI estimate that must place a subject inside for a sample to count
   * towards entering, 0..1. Default 0.6, below `smoothing.quantile` (0.75), which decides staying.
   * See {@link TrackSample.enterEvidence}. In a simulation of walkers at 1.4 m/s with 30% 10 dB
   * drops and ±2 dB jitter, 0.6 counted at most 1 in 100 walk-throughs of a 2-3 m zone at 1-10 Hz,
   * and 86-100% of 8 s stops at 3-10 Hz; 0.67 raised walk-throughs to 28% at 10 Hz.
   */
  readonly enterQuantile?: number;
  /** Distances are clamped to this, metres. Default 50. */
  readonly maxDistanceM?: number;
  /**
   * At most one evaluated sample per subject and source (each gateway's range, the fused position,
   * GPS fixes) per this interval, ms. Makes enterMinSamples mean "seconds of evidence" whatever the
   * beacon's advert rate. Default 1000.
   */
  readonly sampleIntervalMs?: number;
  /** A gateway must be this much stronger than the owner to take a subject over, dB. Default 6. */
  readonly handoverMarginDb?: number;
  /**
   * Hard cap on subjects held. At the cap, the least recently heard subject without an open visit is
   * forgotten; if every subject has an open visit, sightings of new subjects are dropped. Default 10000.
   */
  readonly maxSubjects?: number;
  /** GPS fixes less accurate than this are ignored, metres. Default 100. */
  readonly maxFixAccuracyM?: number;
  /**
   * Gateway id stamped on events decided from GPS fixes when no gateway hears the subject and the fix
   * names none. Default: the first gateway listed, else "gps".
   */
  readonly fixGatewayId?: string;
}

type RangeZone = Extract<Zone, { shape: "gateway-radius" }>;

/**
 * Another surveyed gateway of the store, as seen from a `gateway-radius` zone: no point of the zone
 * is farther from it than `referenceM` (the distance between the two gateways plus the radius).
 */
interface RangePeer {
  readonly gatewayId: string;
  readonly referenceM: number;
}

/**
 * Another gateway pools its evidence into a `gateway-radius` zone only when it hangs within this
 * many radii of the zone's own gateway (then no point of the zone is more than 3 radii from it).
 */
const PEER_REACH_RADII = 2;

/** Distances below this are taken as this in the fused enter test, so log10 stays finite. */
const MIN_FUSION_DISTANCE_M = 0.1;

interface Config {
  readonly zones: readonly Zone[];
  readonly zoneIds: ReadonlySet<string>;
  readonly rangeZonesByGateway: ReadonlyMap<string, readonly RangeZone[]>;
  /** Per `gateway-radius` zone whose gateway is surveyed: the store's other surveyed gateways. */
  readonly rangePeers: ReadonlyMap<string, readonly RangePeer[]>;
  readonly geoFences: readonly ZoneFence[];
  /** Every zone, in configuration order, for GPS fixes. */
  readonly fences: readonly ZoneFence[];
  readonly rules: TrackRules;
  readonly pathLossExponent: number;
  /** The tuning's exit margin: zones without their own ({@link zoneExitMarginM}). */
  readonly exitMarginM: number;
  readonly sites: ReadonlyMap<string, GatewaySite>;
  readonly sitePositions: ReadonlyMap<string, GeoPoint>;
  readonly defaultMeasuredPowerDbm: number | undefined;
  readonly calibration: ReadonlyMap<string, number> | undefined;
  /** The compiled allow/deny lists; null when every subject is tracked. */
  readonly admits: ((subjectId: string) => BeaconVerdict) | null;
  readonly smoothing: RssiSmootherOptions;
  readonly enterQuantile: number;
  readonly enterRankPerSecond: boolean;
  readonly maxDistanceM: number;
  readonly sampleIntervalMs: number;
  readonly handoverMarginDb: number;
  readonly maxSubjects: number;
  readonly maxFixAccuracyM: number;
  readonly fixGatewayId: string;
  /** An idle subject unheard this long is forgotten. */
  readonly forgetAfterMs: number;
}

interface Link {
  readonly smoother: RssiSmoother;
  /** Last time this gateway's range zones were evaluated for the subject. */
  lastEvalAt: number | null;
}

interface SubjectState {
  readonly subject: Subject;
  /** Per gateway that hears the subject. */
  readonly links: Map<string, Link>;
  /** Per zone with evidence or an open visit, in creation order. */
  readonly tracks: Map<string, ZoneTrack>;
  lastHeardAt: number;
  lastGeoEvalAt: number | null;
  lastFixEvalAt: number | null;
  advertisedPowerDbm: number | null;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
const round2 = (x: number): number => Math.round(x * 100) / 100;
const due = (last: number | null, t: number, intervalMs: number): boolean =>
  last === null || t - last >= intervalMs;

/**
 * The gateway's presence and geofence engine: beacon sightings and GPS fixes in, zone enter / dwell /
 * exit decisions out. Pure: no I/O, no logging, no wall clock; time is the `t`/`now` passed in, so a
 * replay of the same calls yields the same output, byte for byte.
 *
 * Per subject and gateway it smooths RSSI ({@link RssiSmoother}) and converts it to a distance with
 * the log-distance model. `gateway-radius` zones are judged from the distance to their own gateway,
 * pooled with the other surveyed gateways near it when they hear the subject too
 * ({@link rangeEnterEvidence});
 * `circle` and `polygon` zones from a position fused over the gateways with a surveyed lat/lon
 * ({@link fusePosition}) or from a phone's GPS fix. Each (subject, zone) pair runs a
 * {@link ZoneTrack} state machine. One gateway owns each subject per zone (strongest signal, with
 * hysteresis); a handover changes the gatewayId on later events and never ends the visit.
 *
 * Works on one gateway hearing only itself and on a merged stream from several (a replay with a
 * `gw` field, or the cloud).
 */
export class PresenceEngine {
  private cfg: Config;
  private readonly subjects = new Map<string, SubjectState>();
  /** Latest time seen in any call; the decision time of reconfigure's exits. */
  private clockMs = Number.NEGATIVE_INFINITY;

  constructor(options: PresenceEngineOptions) {
    this.cfg = compile(options);
  }

  /** Subjects currently held in memory (heard recently, collecting evidence or in a visit). */
  get trackedSubjects(): number {
    return this.subjects.size;
  }

  /** Visits currently open, over all subjects and zones. */
  get openVisits(): number {
    let n = 0;
    for (const s of this.subjects.values()) for (const tr of s.tracks.values()) if (tr.present) n++;
    return n;
  }

  /** Feeds one beacon sighting. Unusable sightings (RSSI not available, bad time) are ignored. */
  observe(s: Sighting): PresenceChange[] {
    const out: PresenceChange[] = [];
    if (!Number.isFinite(s.t)) return out;
    const cfg = this.cfg;
    const rssi = calibrateRssi(s.rssiDbm, cfg.sites.get(s.gatewayId)?.rssiOffsetDb ?? 0);
    if (rssi === null) return out;
    // A listed staff badge or fixture is not even remembered: it must not take a subject slot.
    if (cfg.admits !== null && !cfg.admits(s.subject.id).tracked) return out;
    const subj = this.touch(s.subject, s.t);
    if (subj === null) return out;
    this.advance(s.t);
    this.expireSubject(subj, s.t, out);
    if (isPlausibleMeasuredPower(s.measuredPowerDbm)) subj.advertisedPowerDbm = s.measuredPowerDbm;

    let link = subj.links.get(s.gatewayId);
    if (link === undefined) {
      link = { smoother: new RssiSmoother(cfg.smoothing), lastEvalAt: null };
      subj.links.set(s.gatewayId, link);
    }
    link.smoother.add(s.t, rssi);

    const rangeZones = cfg.rangeZonesByGateway.get(s.gatewayId);
    if (rangeZones !== undefined && due(link.lastEvalAt, s.t, cfg.sampleIntervalMs)) {
      link.lastEvalAt = s.t;
      const est = link.smoother.estimate(s.t);
      const strict = this.strictRssi(link, s.t);
      if (est !== null && strict !== null) {
        const rssiDbm = round1(est);
        const distanceM = round2(this.distanceM(subj, est));
        const strictDistanceM = this.distanceM(subj, strict);
        for (const zone of rangeZones) {
          const enter = this.rangeEnterEvidence(subj, zone, strictDistanceM, s.t);
          const sample: TrackSample = {
            t: s.t,
            containment: this.rangeContainment(subj, zone, distanceM, s.t),
            enterEvidence: enter.inside,
            enterExcessDb: enter.excessDb,
            enterPooledExcessDb: enter.pooledExcessDb,
            gatewayId: s.gatewayId,
            rssiDbm,
            distanceM,
          };
          this.feed(subj, zone.id, sample, out);
        }
      }
    }

    if (
      cfg.geoFences.length > 0 &&
      cfg.sitePositions.has(s.gatewayId) &&
      due(subj.lastGeoEvalAt, s.t, cfg.sampleIntervalMs)
    ) {
      subj.lastGeoEvalAt = s.t;
      this.evaluatePosition(subj, s.t, out);
    }
    return out;
  }

  /**
   * Feeds one GPS fix of a phone. Fixes with an accuracy worse than `maxFixAccuracyM`, or with
   * invalid coordinates, are ignored. Circle and polygon zones are judged by
   * {@link classifyClearance} with the fix's accuracy; `gateway-radius` zones too when their gateway
   * has a surveyed position. Each zone's band is its own exit margin ({@link zoneExitMarginM}).
   * Events carry no RSSI or distance.
   */
  observeFix(f: Fix): PresenceChange[] {
    const out: PresenceChange[] = [];
    const cfg = this.cfg;
    if (!Number.isFinite(f.t) || !isValidGeoPoint(f)) return out;
    if (!Number.isFinite(f.accuracyM) || f.accuracyM < 0 || f.accuracyM > cfg.maxFixAccuracyM) return out;
    if (cfg.admits !== null && !cfg.admits(f.subject.id).tracked) return out;
    const subj = this.touch(f.subject, f.t);
    if (subj === null) return out;
    this.advance(f.t);
    this.expireSubject(subj, f.t, out);
    if (!due(subj.lastFixEvalAt, f.t, cfg.sampleIntervalMs)) return out;
    subj.lastFixEvalAt = f.t;

    const candidates = this.candidates(subj, f.t);
    const fallback = f.gatewayId ?? cfg.fixGatewayId;
    const point: GeoEstimate = { lat: f.lat, lon: f.lon, accuracyM: f.accuracyM };
    for (const fence of cfg.fences) {
      const zone = fence.zone;
      const containment = fence.classify(point, zoneExitMarginM(zone, cfg.exitMarginM), this.siteOf);
      if (containment === null) continue;
      const enterEvidence = containment === "inside";
      const track = subj.tracks.get(zone.id);
      if (track === undefined && !enterEvidence) continue;
      const gatewayId =
        zone.shape === "gateway-radius"
          ? zone.gatewayId
          : (chooseOwner(track?.owner ?? null, candidates, cfg.handoverMarginDb) ?? fallback);
      const sample: TrackSample = {
        t: f.t,
        containment,
        enterEvidence,
        gatewayId,
        rssiDbm: null,
        distanceM: null,
      };
      this.feed(subj, zone.id, sample, out);
    }
    return out;
  }

  /**
   * Advances time to `now`: exits for visits without support for `exitAfterMs`, and housekeeping
   * (stale evidence, silent gateways and forgotten subjects are dropped). Call about once a second.
   * Dwell events are decided by samples (a dwell needs evidence that the subject is still there),
   * so a tick only ends visits.
   */
  tick(now: number): PresenceChange[] {
    const out: PresenceChange[] = [];
    if (!Number.isFinite(now)) return out;
    this.advance(now);
    const cfg = this.cfg;
    for (const [key, subj] of this.subjects) {
      for (const [zoneId, track] of subj.tracks) {
        track.expire(now, cfg.rules, out);
        if (track.isDisposable(now, cfg.rules)) subj.tracks.delete(zoneId);
      }
      for (const [gatewayId, link] of subj.links) {
        link.smoother.prune(now);
        if (link.smoother.size === 0) subj.links.delete(gatewayId);
      }
      if (subj.tracks.size === 0 && now - subj.lastHeardAt >= cfg.forgetAfterMs) this.subjects.delete(key);
    }
    return out;
  }

  /**
   * Applies new zones, tuning, gateways or knobs without losing state. Visits in zones that no longer
   * exist end with an exit decided at the latest time the engine has seen. A zone kept under the same
   * id keeps its visits even if its shape changed; they end by the normal rules if the new shape
   * excludes the subject. Dwell marks a visit already passed are not emitted late. Throws
   * {@link PresenceError} (and changes nothing) when the options are invalid.
   */
  reconfigure(options: PresenceEngineOptions): PresenceChange[] {
    const next = compile(options);
    const out: PresenceChange[] = [];
    const at = Number.isFinite(this.clockMs) ? this.clockMs : 0;
    for (const subj of this.subjects.values()) {
      for (const [zoneId, track] of subj.tracks) {
        if (next.zoneIds.has(zoneId)) {
          track.retune(next.rules);
        } else {
          track.close(at, out);
          subj.tracks.delete(zoneId);
        }
      }
      for (const link of subj.links.values()) link.smoother.configure(next.smoothing);
    }
    this.cfg = next;
    return out;
  }

  /**
   * End of a stream (a replay finished, the gateway shuts down). Emits nothing: visits still open
   * stay open rather than getting an exit the data does not show (the cloud closes visits it never
   * sees an exit for). Exits already due by `now` are not emitted either; call `tick(now)` first if
   * you want them. All state is dropped, so the engine starts afresh if used again.
   */
  flush(now: number): PresenceChange[] {
    if (Number.isFinite(now)) this.advance(now);
    this.subjects.clear();
    return [];
  }

  // ---------------------------------------------------------------------------------------------

  private readonly siteOf = (gatewayId: string): GeoPoint | undefined =>
    this.cfg.sitePositions.get(gatewayId);

  private advance(t: number): void {
    if (t > this.clockMs) this.clockMs = t;
  }

  /** Finds or creates the subject's state, marking it most recently heard. Null when full. */
  private touch(subject: Subject, t: number): SubjectState | null {
    const existing = this.subjects.get(subject.id);
    if (existing !== undefined) {
      // Re-insert so the map's order is least- to most-recently heard (eviction order).
      this.subjects.delete(subject.id);
      this.subjects.set(subject.id, existing);
      if (t > existing.lastHeardAt) existing.lastHeardAt = t;
      return existing;
    }
    if (this.subjects.size >= this.cfg.maxSubjects && !this.evictOne()) return null;
    const state: SubjectState = {
      subject: Object.freeze({ kind: subject.kind, id: subject.id }),
      links: new Map(),
      tracks: new Map(),
      lastHeardAt: t,
      lastGeoEvalAt: null,
      lastFixEvalAt: null,
      advertisedPowerDbm: null,
    };
    this.subjects.set(subject.id, state);
    return state;
  }

  /** Forgets the least recently heard subject without an open visit; false if there is none. */
  private evictOne(): boolean {
    for (const [key, subj] of this.subjects) {
      let open = false;
      for (const track of subj.tracks.values()) {
        if (track.present) {
          open = true;
          break;
        }
      }
      if (!open) {
        this.subjects.delete(key);
        return true;
      }
    }
    return false;
  }

  private expireSubject(subj: SubjectState, now: number, out: PresenceChange[]): void {
    for (const track of subj.tracks.values()) track.expire(now, this.cfg.rules, out);
  }

  private distanceM(subj: SubjectState, rssiDbm: number): number {
    const cfg = this.cfg;
    const p1m = resolveMeasuredPowerDbm(
      cfg.calibration?.get(subj.subject.id),
      subj.advertisedPowerDbm,
      cfg.defaultMeasuredPowerDbm,
    );
    return distanceFromRssi(rssiDbm, p1m, cfg.pathLossExponent, cfg.maxDistanceM);
  }

  /**
   * Whether the strict estimates place the subject inside a `gateway-radius` zone.
   *
   * With its own gateway only: the strict distance is within the radius. When other gateways of the
   * store are surveyed and hear the subject too, their evidence is pooled: each gateway's strict
   * distance is turned into an excess in dB over the farthest a point of the zone can be from it
   * (`10 n log10(d / reference)`; the reference is the radius for the zone's own gateway, the
   * distance between the gateways plus the radius for another), and the subject counts as inside
   * when the mean excess is not above 0. Why: shadowing is independent per gateway (each sees the
   * shop through different shelves and bodies), so the mean of two or three excesses varies less
   * than one, while the geometry still separates the floor from the pavement; someone outside the
   * window is as near the window's gateway as a shopper just inside, but much farther from the
   * inner ones. A gateway that does not hear the subject contributes nothing (its sightings may
   * simply not reach this engine), so a lone gateway decides exactly as before.
   *
   * `excessDb` is the same judgement as a level, for the sequential enter test: the pooled mean
   * excess, or the own gateway's `10 n log10(d / radius)`; null when that test is off.
   * `pooledExcessDb` is the pooled mean excess for the depth rule (`tuning.enterPooledDepth`); null
   * where the zone pools nothing or the rule is off.
   */
  private rangeEnterEvidence(
    subj: SubjectState,
    zone: RangeZone,
    strictDistanceM: number,
    t: number,
  ): { readonly inside: boolean; readonly excessDb: number | null; readonly pooledExcessDb: number | null } {
    const cfg = this.cfg;
    const peers = cfg.rangePeers.get(zone.id);
    if (peers === undefined) {
      const inside = rangeClearanceM(zone.radiusM, strictDistanceM) >= 0;
      if (cfg.rules.sequential === null) return { inside, excessDb: null, pooledExcessDb: null };
      const excessDb =
        10 * cfg.pathLossExponent * Math.log10(Math.max(strictDistanceM, MIN_FUSION_DISTANCE_M) / zone.radiusM);
      return { inside, excessDb, pooledExcessDb: null };
    }
    const excessDb = this.meanExcessDb(subj, zone, peers, strictDistanceM, (link) => this.strictRssi(link, t));
    return {
      inside: excessDb <= 0,
      excessDb: cfg.rules.sequential === null ? null : excessDb,
      pooledExcessDb: cfg.rules.pooledDepth === null ? null : excessDb,
    };
  }

  /**
   * The stricter RSSI estimate that decides entering: `enterQuantile` over every advert in the
   * window, or, with `tuning.enterRankPerSecond`, over one value per sample interval (see
   * {@link RssiSmoother.estimatePerBucket}).
   */
  private strictRssi(link: Link, t: number): number | null {
    const cfg = this.cfg;
    return cfg.enterRankPerSecond
      ? link.smoother.estimatePerBucket(t, cfg.enterQuantile, cfg.sampleIntervalMs)
      : link.smoother.estimate(t, cfg.enterQuantile);
  }

  /**
   * Where the robust estimates place the subject relative to a `gateway-radius` zone: by its own
   * gateway's distance, or, with surveyed peers, by the same pooled excess as
   * {@link rangeEnterEvidence} on the upper-quantile estimates, outside beyond the excess the exit
   * margin gives at the zone's own gateway (`10 n log10((radius + margin) / radius)`). The margin is
   * the zone's own when it has one, else the tuning's ({@link zoneExitMarginM}). Staying and
   * entering then judge the same evidence, so a visit entered on pooled evidence is not ended by
   * one gateway's view of it.
   */
  private rangeContainment(subj: SubjectState, zone: RangeZone, distanceM: number, t: number): Containment {
    const cfg = this.cfg;
    const peers = cfg.rangePeers.get(zone.id);
    const exitMarginM = zoneExitMarginM(zone, cfg.exitMarginM);
    if (peers === undefined) return classifyClearance(rangeClearanceM(zone.radiusM, distanceM), 0, exitMarginM);
    const excess = this.meanExcessDb(subj, zone, peers, distanceM, (link) => link.smoother.estimate(t));
    if (excess <= 0) return "inside";
    const marginDb = 10 * cfg.pathLossExponent * Math.log10((zone.radiusM + exitMarginM) / zone.radiusM);
    return excess > marginDb ? "outside" : "band";
  }

  /**
   * Mean, over the zone's own gateway and the peers that hear the subject, of
   * `10 n log10(distance / reference)`, dB, with each peer's distance from `rssiOf` its link.
   */
  private meanExcessDb(
    subj: SubjectState,
    zone: RangeZone,
    peers: readonly RangePeer[],
    ownDistanceM: number,
    rssiOf: (link: Link) => number | null,
  ): number {
    const n10 = 10 * this.cfg.pathLossExponent;
    const excessDb = (distanceM: number, referenceM: number): number =>
      n10 * Math.log10(Math.max(distanceM, MIN_FUSION_DISTANCE_M) / referenceM);
    let sum = excessDb(ownDistanceM, zone.radiusM);
    let n = 1;
    for (const peer of peers) {
      const link = subj.links.get(peer.gatewayId);
      const rssi = link === undefined ? null : rssiOf(link);
      if (rssi === null) continue;
      sum += excessDb(this.distanceM(subj, rssi), peer.referenceM);
      n++;
    }
    return sum / n;
  }

  /** Gateways hearing the subject as of `t`, with their smoothed RSSI. */
  private candidates(subj: SubjectState, t: number): OwnerCandidate[] {
    const list: OwnerCandidate[] = [];
    for (const [gatewayId, link] of subj.links) {
      const est = link.smoother.estimate(t);
      if (est !== null) list.push({ gatewayId, rssiDbm: est });
    }
    return list;
  }

  /**
   * Judges circle/polygon zones from the position fused over the gateways that hear the subject,
   * each with its own exit margin ({@link zoneExitMarginM}).
   */
  private evaluatePosition(subj: SubjectState, t: number, out: PresenceChange[]): void {
    const cfg = this.cfg;
    const candidates = this.candidates(subj, t);
    const anchors: RangeAnchor[] = [];
    const strictAnchors: RangeAnchor[] = [];
    for (const c of candidates) {
      const site = cfg.sitePositions.get(c.gatewayId);
      const link = subj.links.get(c.gatewayId);
      const strict = link === undefined ? null : this.strictRssi(link, t);
      if (site === undefined || strict === null) continue;
      anchors.push({ ...site, distanceM: this.distanceM(subj, c.rssiDbm) });
      strictAnchors.push({ ...site, distanceM: this.distanceM(subj, strict) });
    }
    const position = fusePosition(anchors);
    const strictPosition = fusePosition(strictAnchors);
    if (position === null || strictPosition === null) return;
    for (const fence of cfg.geoFences) {
      const zoneId = fence.zone.id;
      const exitMarginM = zoneExitMarginM(fence.zone, cfg.exitMarginM);
      const track = subj.tracks.get(zoneId);
      // Classify only what the track will read (polygon clearances are the engine's costliest step):
      // an open visit reads `containment`; no visit reads `enterEvidence`; a visit timing out at
      // this very sample reads both, as it closes and then starts collecting evidence again.
      const open = track?.present === true;
      const containment = open ? fence.classify(position, exitMarginM, this.siteOf) : "outside";
      const needEnter = !open || track.dueToExpire(t, cfg.rules);
      const strictContainment = needEnter
        ? fence.classify(strictPosition, exitMarginM, this.siteOf)
        : null;
      if (containment === null) continue;
      const enterEvidence = strictContainment === "inside";
      if (track === undefined && !enterEvidence) continue;
      const owner = chooseOwner(track?.owner ?? null, candidates, cfg.handoverMarginDb);
      const ownerRssi = candidates.find((c) => c.gatewayId === owner)?.rssiDbm;
      if (owner === null || ownerRssi === undefined) continue;
      const sample: TrackSample = {
        t,
        containment,
        enterEvidence,
        gatewayId: owner,
        rssiDbm: round1(ownerRssi),
        distanceM: round2(this.distanceM(subj, ownerRssi)),
      };
      this.feed(subj, zoneId, sample, out);
    }
  }

  private feed(subj: SubjectState, zoneId: string, sample: TrackSample, out: PresenceChange[]): void {
    let track = subj.tracks.get(zoneId);
    if (track === undefined) {
      const sequential = this.cfg.rules.sequential;
      const worthStarting =
        sample.enterEvidence ||
        (sequential !== null &&
          sample.enterExcessDb !== undefined &&
          sample.enterExcessDb !== null &&
          countsForInside(sample.enterExcessDb, sequential));
      if (!worthStarting) return;
      track = new ZoneTrack(zoneId, subj.subject);
      subj.tracks.set(zoneId, track);
    }
    track.observe(sample, this.cfg.rules, out);
  }
}

/** Validates options (reporting every problem) and precomputes lookups. */
function compile(options: PresenceEngineOptions): Config {
  const problems: string[] = [];
  const need = (ok: boolean, message: string): void => {
    if (!ok) problems.push(message);
  };
  const finite = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

  const t = options.tuning;
  need(finite(t.pathLossExponent) && t.pathLossExponent > 0, "tuning.pathLossExponent must be > 0");
  need(
    Number.isInteger(t.enterMinSamples) && t.enterMinSamples >= 1,
    "tuning.enterMinSamples must be an integer >= 1",
  );
  need(finite(t.enterWindowMs) && t.enterWindowMs > 0, "tuning.enterWindowMs must be > 0");
  need(finite(t.exitMarginM) && t.exitMarginM >= 0, "tuning.exitMarginM must be >= 0");
  need(finite(t.exitAfterMs) && t.exitAfterMs > 0, "tuning.exitAfterMs must be > 0");
  const seq = t.enterSequential;
  if (seq !== undefined) {
    need(finite(seq.offsetDb) && seq.offsetDb >= 0, "tuning.enterSequential.offsetDb must be >= 0");
    need(finite(seq.capDb) && seq.capDb > 0, "tuning.enterSequential.capDb must be > 0");
    need(finite(seq.thresholdDb) && seq.thresholdDb > 0, "tuning.enterSequential.thresholdDb must be > 0");
  }
  const depth = t.enterPooledDepth;
  if (depth !== undefined) {
    need(finite(depth.depthDb) && depth.depthDb > 0, "tuning.enterPooledDepth.depthDb must be > 0");
    need(finite(depth.holdMs) && depth.holdMs > 0, "tuning.enterPooledDepth.holdMs must be > 0");
  }
  t.dwellMarksMs.forEach((m, i) => {
    need(finite(m) && m > 0, `tuning.dwellMarksMs[${i}] must be > 0`);
  });

  const sites = new Map<string, GatewaySite>();
  const sitePositions = new Map<string, GeoPoint>();
  options.gateways.forEach((g, i) => {
    need(!sites.has(g.id), `gateways[${i}]: duplicate id ${JSON.stringify(g.id)}`);
    need(
      g.rssiOffsetDb === undefined || finite(g.rssiOffsetDb),
      `gateways[${i}].rssiOffsetDb must be finite`,
    );
    const hasLat = g.lat !== undefined;
    const hasLon = g.lon !== undefined;
    if (hasLat || hasLon) {
      if (isValidGeoPoint(g)) sitePositions.set(g.id, { lat: g.lat, lon: g.lon });
      else problems.push(`gateways[${i}]: lat and lon must both be given and valid`);
    }
    sites.set(g.id, g);
  });

  const zoneIds = new Set<string>();
  const rangeZonesByGateway = new Map<string, RangeZone[]>();
  const geoFences: ZoneFence[] = [];
  const fences: ZoneFence[] = [];
  options.zones.forEach((z, i) => {
    need(!zoneIds.has(z.id), `zones[${i}]: duplicate id ${JSON.stringify(z.id)}`);
    zoneIds.add(z.id);
    need(
      z.exitMarginM === undefined || (finite(z.exitMarginM) && z.exitMarginM >= 0),
      `zones[${i}].exitMarginM must be >= 0`,
    );
    const fence = new ZoneFence(z);
    fences.push(fence);
    switch (z.shape) {
      case "gateway-radius": {
        need(finite(z.radiusM) && z.radiusM > 0, `zones[${i}].radiusM must be > 0`);
        need(
          z.edgeLossDb === undefined || (finite(z.edgeLossDb) && z.edgeLossDb > 0),
          `zones[${i}].edgeLossDb must be > 0`,
        );
        (z.peerEdges ?? []).forEach((p, k) => {
          need(finite(p.edgeLossDb) && p.edgeLossDb > 0, `zones[${i}].peerEdges[${k}].edgeLossDb must be > 0`);
        });
        const list = rangeZonesByGateway.get(z.gatewayId) ?? [];
        // A surveyed zone is judged against the distance its edge loss means under the model (the
        // zone's radius as this radio hears it), not the radius drawn; GPS fixes keep the drawn one.
        list.push(
          z.edgeLossDb === undefined ? z : { ...z, radiusM: 10 ** (z.edgeLossDb / (10 * t.pathLossExponent)) },
        );
        rangeZonesByGateway.set(z.gatewayId, list);
        break;
      }
      case "circle":
        need(finite(z.radiusM) && z.radiusM > 0, `zones[${i}].radiusM must be > 0`);
        need(isValidGeoPoint(z.center), `zones[${i}].center must be a valid lat/lon`);
        geoFences.push(fence);
        break;
      case "polygon":
        need(
          z.points.length >= 3 && z.points.every((p) => isValidGeoPoint(p)),
          `zones[${i}].points must be at least 3 valid lat/lon`,
        );
        geoFences.push(fence);
        break;
    }
  });

  if (options.defaultMeasuredPowerDbm !== undefined) {
    need(
      isPlausibleMeasuredPower(options.defaultMeasuredPowerDbm),
      "defaultMeasuredPowerDbm must be within -100..-20 dBm",
    );
  }
  for (const [id, dbm] of options.calibration ?? []) {
    need(isPlausibleMeasuredPower(dbm), `calibration[${JSON.stringify(id)}] must be within -100..-20 dBm`);
  }

  const smoothing: RssiSmootherOptions = { ...DEFAULT_SMOOTHER_OPTIONS, ...definedOnly(options.smoothing) };
  need(finite(smoothing.windowMs) && smoothing.windowMs > 0, "smoothing.windowMs must be > 0");
  need(
    finite(smoothing.quantile) && smoothing.quantile >= 0 && smoothing.quantile <= 1,
    "smoothing.quantile must be within 0..1",
  );
  need(
    Number.isInteger(smoothing.maxSamples) && smoothing.maxSamples >= 1,
    "smoothing.maxSamples must be an integer >= 1",
  );
  const d = PRESENCE_ENGINE_DEFAULTS;
  const enterQuantile = options.enterQuantile ?? d.enterQuantile;
  need(
    finite(enterQuantile) && enterQuantile >= 0 && enterQuantile <= 1,
    "enterQuantile must be within 0..1",
  );
  const maxDistanceM = options.maxDistanceM ?? d.maxDistanceM;
  const sampleIntervalMs = options.sampleIntervalMs ?? d.sampleIntervalMs;
  const handoverMarginDb = options.handoverMarginDb ?? d.handoverMarginDb;
  const maxSubjects = options.maxSubjects ?? d.maxSubjects;
  const maxFixAccuracyM = options.maxFixAccuracyM ?? d.maxFixAccuracyM;
  need(finite(maxDistanceM) && maxDistanceM > 0, "maxDistanceM must be > 0");
  need(finite(sampleIntervalMs) && sampleIntervalMs >= 0, "sampleIntervalMs must be >= 0");
  need(finite(handoverMarginDb) && handoverMarginDb >= 0, "handoverMarginDb must be >= 0");
  need(Number.isInteger(maxSubjects) && maxSubjects >= 1, "maxSubjects must be an integer >= 1");
  need(finite(maxFixAccuracyM) && maxFixAccuracyM > 0, "maxFixAccuracyM must be > 0");

  if (problems.length > 0) throw new PresenceError("INVALID_PRESENCE_OPTIONS", problems);

  const rangePeers = new Map<string, RangePeer[]>();
  for (const zones of rangeZonesByGateway.values()) {
    for (const zone of zones) {
      const own = sitePositions.get(zone.gatewayId);
      if (own === undefined) continue;
      const peers: RangePeer[] = [];
      for (const [gatewayId, site] of sitePositions) {
        if (gatewayId === zone.gatewayId) continue;
        const apartM = geoDistanceM(own, site);
        // A peer farther than this sees the whole zone, and its surroundings, within too narrow a
        // band of distances for its range error to tell them apart: it would only add noise.
        if (apartM > PEER_REACH_RADII * zone.radiusM) continue;
        // Surveyed: the distance the loss it measured along the zone's edge means under the model,
        // which carries what this gateway hears of the zone (its offset fitted elsewhere, the shop
        // between them); else the farthest a point of the zone can be from it.
        const surveyed = zone.peerEdges?.find((p) => p.gatewayId === gatewayId);
        const referenceM =
          surveyed === undefined ? apartM + zone.radiusM : 10 ** (surveyed.edgeLossDb / (10 * t.pathLossExponent));
        peers.push({ gatewayId, referenceM });
      }
      if (peers.length > 0) rangePeers.set(zone.id, peers);
    }
  }

  const dwellMarksMs = [...new Set(t.dwellMarksMs)].sort((a, b) => a - b);
  return {
    zones: options.zones,
    zoneIds,
    rangeZonesByGateway,
    rangePeers,
    geoFences,
    fences,
    rules: {
      enterMinSamples: t.enterMinSamples,
      enterWindowMs: t.enterWindowMs,
      exitAfterMs: t.exitAfterMs,
      dwellMarksMs,
      sequential:
        seq === undefined ? null : { offsetDb: seq.offsetDb, capDb: seq.capDb, thresholdDb: seq.thresholdDb },
      pooledDepth: depth === undefined ? null : { depthDb: depth.depthDb, holdMs: depth.holdMs },
    },
    pathLossExponent: t.pathLossExponent,
    exitMarginM: t.exitMarginM,
    sites,
    sitePositions,
    defaultMeasuredPowerDbm: options.defaultMeasuredPowerDbm,
    calibration: options.calibration,
    admits:
      options.beacons === undefined || (options.beacons.allow.length === 0 && options.beacons.deny.length === 0)
        ? null
        : beaconFilter(options.beacons),
    smoothing,
    enterQuantile,
    enterRankPerSecond: t.enterRankPerSecond === true,
    maxDistanceM,
    sampleIntervalMs,
    handoverMarginDb,
    maxSubjects,
    maxFixAccuracyM,
    fixGatewayId: options.fixGatewayId ?? options.gateways[0]?.id ?? d.fixGatewayId,
    forgetAfterMs: Math.max(t.enterWindowMs, smoothing.windowMs),
  };
}

/** Drops keys whose value is undefined, so a spread cannot override a default with undefined. */
function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  const result: Partial<T> = {};
  if (value === undefined) return result;
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined) (result as Record<string, unknown>)[k] = v;
  }
  return result;
}
