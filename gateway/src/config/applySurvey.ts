import type { SurveyCalibration } from "../domain/survey/siteSurvey.js";

/** One value a survey changed in a config file, for the operator to read. */
export interface SurveyChange {
  /** JSON path of the value, e.g. `/site/rssiOffsetDb`, `/zones/0/edgeLossDb`. */
  readonly path: string;
  readonly before: number | null;
  readonly after: number;
  /** What it means, in a few words. */
  readonly note: string;
}

export interface AppliedSurvey {
  /** The config document with the survey's values; everything else as it was, in the same order. */
  readonly document: Record<string, unknown>;
  readonly changes: readonly SurveyChange[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const numberOrNull = (v: unknown): number | null => (typeof v === "number" ? v : null);

/**
 * Writes a survey's calibration into a gateway config document (the parsed JSON of the file, not the
 * validated config with its defaults, so what the operator wrote stays as written): this gateway's
 * offset into `site.rssiOffsetDb`, a listed peer's into its `peers` entry, each calibrated zone's
 * threshold into its `edgeLossDb` and what the other gateways heard of its edge into `peerEdges`,
 * and, where the survey recommends it (a lightly shadowed shop whose zones pool), the pooled test's
 * depth rule into `presence.enterPooledDepth`. Where it does not, an `enterPooledDepth` already in
 * the file stays as written (it may be the operator's). Keys keep their order; nothing else is
 * touched. Pure.
 */
export function applySurvey(document: Json, calibration: SurveyCalibration): AppliedSurvey {
  const doc = structuredClone(document);
  const changes: SurveyChange[] = [];
  const gatewayId = doc.gatewayId;
  const peers = Array.isArray(doc.peers) ? (doc.peers as unknown[]) : [];
  for (const g of calibration.gateways) {
    if (g.gatewayId === gatewayId) {
      const site = isObject(doc.site) ? doc.site : {};
      changes.push({
        path: "/site/rssiOffsetDb",
        before: numberOrNull(site.rssiOffsetDb),
        after: g.rssiOffsetDb,
        note: `added to every RSSI this gateway reports (from ${g.samples} edge samples)`,
      });
      doc.site = { ...site, rssiOffsetDb: g.rssiOffsetDb };
      continue;
    }
    const i = peers.findIndex((p) => isObject(p) && p.id === g.gatewayId);
    const peer = peers[i];
    if (!isObject(peer)) continue;
    changes.push({
      path: `/peers/${i}/rssiOffsetDb`,
      before: numberOrNull(peer.rssiOffsetDb),
      after: g.rssiOffsetDb,
      note: `added to every RSSI gateway ${g.gatewayId} reports`,
    });
    peers[i] = { ...peer, rssiOffsetDb: g.rssiOffsetDb };
  }
  const zones = Array.isArray(doc.zones) ? (doc.zones as unknown[]) : [];
  for (const z of calibration.zones) {
    const i = zones.findIndex((zone) => isObject(zone) && zone.id === z.zoneId && zone.shape === "gateway-radius");
    const zone = zones[i];
    if (!isObject(zone)) continue;
    changes.push({
      path: `/zones/${i}/edgeLossDb`,
      before: numberOrNull(zone.edgeLossDb),
      after: z.edgeLossDb,
      note: `zone ${z.zoneId}: enter within ${z.reachM} m as the radio hears it (drawn ${String(zone.radiusM)} m)`,
    });
    const before = Array.isArray(zone.peerEdges) ? (zone.peerEdges as unknown[]) : [];
    for (const p of z.peers) {
      const previous = before.find((e) => isObject(e) && e.gatewayId === p.gatewayId);
      changes.push({
        path: `/zones/${i}/peerEdges/${p.gatewayId}`,
        before: isObject(previous) ? numberOrNull(previous.edgeLossDb) : null,
        after: p.edgeLossDb,
        note: `zone ${z.zoneId}: gateway ${p.gatewayId} pools against ${p.edgeLossDb} dB, what it heard along the edge (${p.samples} samples)`,
      });
    }
    // A survey that heard no other gateway leaves what an earlier one measured of them.
    const peerEdges =
      z.peers.length === 0 ? zone.peerEdges : z.peers.map((p) => ({ gatewayId: p.gatewayId, edgeLossDb: p.edgeLossDb }));
    zones[i] = { ...zone, edgeLossDb: z.edgeLossDb, ...(peerEdges === undefined ? {} : { peerEdges }) };
  }
  if (calibration.pooledDepth !== null) {
    const presence = isObject(doc.presence) ? doc.presence : {};
    const before = isObject(presence.enterPooledDepth) ? presence.enterPooledDepth : {};
    const { depthDb, holdMs } = calibration.pooledDepth;
    const spread = `the edges spread ${calibration.edgeSpreadDb} dB`;
    changes.push(
      {
        path: "/presence/enterPooledDepth/depthDb",
        before: numberOrNull(before.depthDb),
        after: depthDb,
        note: `pooled evidence enters at once only ${depthDb} dB inside the edge (${spread}: lightly shadowed)`,
      },
      {
        path: "/presence/enterPooledDepth/holdMs",
        before: numberOrNull(before.holdMs),
        after: holdMs,
        note: `shallower pooled evidence enters after holding ${holdMs / 1000} s`,
      },
    );
    doc.presence = { ...presence, enterPooledDepth: { ...before, depthDb, holdMs } };
  }
  return { document: doc, changes };
}
