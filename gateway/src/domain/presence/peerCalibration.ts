import type { Zone } from "../../../../protocol/index.js";
import type { PresenceEngineOptions } from "./PresenceEngine.js";

/** One `gateway-radius` zone of the sender as its engine runs it: the values a learner may move. */
export interface ZoneCalibration {
  readonly zoneId: string;
  /** The zone's edge loss, dB; null: none, the drawn radius decides. */
  readonly edgeLossDb: number | null;
  /** The zone's own exit margin, m; null: none, the tuning's applies. */
  readonly exitMarginM: number | null;
  /** The other gateways' references in the zone's pooled test, dB (empty: by geometry). */
  readonly peerEdges: readonly { readonly gatewayId: string; readonly edgeLossDb: number }[];
}

/**
 * What one gateway judges with that its peers must judge its sightings and its zones with too: its
 * RSSI offset and, for each `gateway-radius` zone of its own, the values its engine runs after
 * every learned adjustment (the till's offset, the inside labels' edge loss, peer references and
 * exit band, any later learner's). Final values, not what was learned: a peer needs no learner of
 * its own to run them, and a learner added later is shared by the same record.
 */
export interface CalibrationRecord {
  readonly gatewayId: string;
  readonly rssiOffsetDb: number;
  readonly zones: readonly ZoneCalibration[];
}

/** Bounds a record must keep: the config schema's for the offset, generous physical ones for losses. */
export const CALIBRATION_BOUNDS = Object.freeze({
  /** |offset| at most this, dB (the config's `site.rssiOffsetDb` bound). */
  maxOffsetDb: 30,
  /** An edge loss or reference above 0 and at most this, dB (no BLE link has more). */
  maxEdgeLossDb: 150,
  /** An exit margin at most this, m (the engine clamps distances far below it). */
  maxExitMarginM: 1000,
  /** Zones per record, and peer references per zone. */
  maxZones: 64,
  maxPeerEdges: 64,
});

/** The record of `gatewayId` as `options` (what its engine runs) say. */
export function calibrationRecordOf(options: PresenceEngineOptions, gatewayId: string): CalibrationRecord {
  const site = options.gateways.find((g) => g.id === gatewayId);
  return {
    gatewayId,
    rssiOffsetDb: site?.rssiOffsetDb ?? 0,
    zones: options.zones.flatMap((z) =>
      z.shape === "gateway-radius" && z.gatewayId === gatewayId
        ? [
            {
              zoneId: z.id,
              edgeLossDb: z.edgeLossDb ?? null,
              exitMarginM: z.exitMarginM ?? null,
              peerEdges: (z.peerEdges ?? []).map((p) => ({ gatewayId: p.gatewayId, edgeLossDb: p.edgeLossDb })),
            },
          ]
        : [],
    ),
  };
}

export type CalibrationCheck = { readonly ok: true; readonly record: CalibrationRecord } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Checks a peer's record against this gateway's own options (its config, its remote config and its
 * own learned values, before any peer's record): `sender` is who authenticated it on the store LAN.
 * Refused whole, with every problem, when it names another gateway, a gateway the store does not
 * list, a zone that is not a `gateway-radius` zone of the sender's, or a value that is not a finite
 * number within {@link CALIBRATION_BOUNDS}: a peer sets its own offset and its own zones, never
 * another gateway's.
 */
export function checkCalibrationRecord(record: CalibrationRecord, sender: string, own: PresenceEngineOptions, selfId: string): CalibrationCheck {
  const problems: string[] = [];
  const need = (ok: boolean, problem: string): void => {
    if (!ok) problems.push(problem);
  };
  const b = CALIBRATION_BOUNDS;
  const known = new Set(own.gateways.map((g) => g.id));
  const loss = (x: number): boolean => Number.isFinite(x) && x > 0 && x <= b.maxEdgeLossDb;
  need(record.gatewayId === sender, `record of ${JSON.stringify(record.gatewayId)} sent by ${JSON.stringify(sender)}`);
  need(sender !== selfId, "record claims this gateway's own values");
  need(known.has(sender), `sender ${JSON.stringify(sender)} is not a gateway of the store`);
  need(Number.isFinite(record.rssiOffsetDb) && Math.abs(record.rssiOffsetDb) <= b.maxOffsetDb, `rssiOffsetDb ${record.rssiOffsetDb} out of bounds`);
  need(record.zones.length <= b.maxZones, `more than ${b.maxZones} zones`);
  const seen = new Set<string>();
  for (const z of record.zones) {
    const where = `zone ${JSON.stringify(z.zoneId)}`;
    need(!seen.has(z.zoneId), `${where} twice`);
    seen.add(z.zoneId);
    const zone = own.zones.find((x) => x.id === z.zoneId);
    need(zone !== undefined && zone.shape === "gateway-radius" && zone.gatewayId === sender, `${where} is not a gateway-radius zone of ${sender}`);
    need(z.edgeLossDb === null || loss(z.edgeLossDb), `${where}: edgeLossDb ${z.edgeLossDb} out of bounds`);
    need(
      z.exitMarginM === null || (Number.isFinite(z.exitMarginM) && z.exitMarginM >= 0 && z.exitMarginM <= b.maxExitMarginM),
      `${where}: exitMarginM ${z.exitMarginM} out of bounds`,
    );
    need(z.peerEdges.length <= b.maxPeerEdges, `${where}: more than ${b.maxPeerEdges} peer references`);
    const peers = new Set<string>();
    for (const p of z.peerEdges) {
      need(known.has(p.gatewayId) && p.gatewayId !== sender && !peers.has(p.gatewayId), `${where}: peer reference of ${JSON.stringify(p.gatewayId)} not allowed`);
      need(loss(p.edgeLossDb), `${where}: peer reference ${p.edgeLossDb} out of bounds`);
      peers.add(p.gatewayId);
    }
  }
  return problems.length === 0 ? { ok: true, record } : { ok: false, problems };
}

/**
 * `options` with each peer's record laid over it: the peer's offset on its site, its zones' values on
 * its own `gateway-radius` zones. Ownership is checked again here, against `options`: a record
 * accepted before a remote config moved a zone to another gateway no longer touches that zone.
 * Records of `selfId` are ignored.
 */
export function withPeerCalibrations(options: PresenceEngineOptions, records: Iterable<CalibrationRecord>, selfId: string): PresenceEngineOptions {
  const byPeer = new Map<string, CalibrationRecord>();
  for (const r of records) if (r.gatewayId !== selfId) byPeer.set(r.gatewayId, r);
  if (byPeer.size === 0) return options;
  const gateways = options.gateways.map((g) => {
    const r = byPeer.get(g.id);
    return r === undefined ? g : { ...g, rssiOffsetDb: r.rssiOffsetDb };
  });
  const zones = options.zones.map((z): Zone => {
    if (z.shape !== "gateway-radius") return z;
    const shared = byPeer.get(z.gatewayId)?.zones.find((c) => c.zoneId === z.id);
    if (shared === undefined) return z;
    const { edgeLossDb: _e, exitMarginM: _m, peerEdges: _p, ...rest } = z;
    return {
      ...rest,
      ...(shared.edgeLossDb === null ? {} : { edgeLossDb: shared.edgeLossDb }),
      ...(shared.exitMarginM === null ? {} : { exitMarginM: shared.exitMarginM }),
      ...(shared.peerEdges.length === 0 ? {} : { peerEdges: shared.peerEdges.map((p) => ({ ...p })) }),
    };
  });
  return { ...options, gateways, zones };
}
