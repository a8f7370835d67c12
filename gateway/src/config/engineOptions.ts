import type { GatewayRemoteConfig, PresenceTuning, Zone } from "../../../protocol/index.js";
import type { PresenceEngineOptions } from "../domain/presence/PresenceEngine.js";
import type { GatewayConfig } from "./loadConfig.js";

/**
 * The presence engine's options from a gateway config, overlaid by the last remote config when there
 * is one. One function for the running gateway and the replay command, so a replay decides exactly
 * what the gateway would have.
 */
export function engineOptions(config: GatewayConfig, remote: GatewayRemoteConfig | null = null): PresenceEngineOptions {
  const zones: readonly Zone[] = remote ? keepSurveyedEdges(remote.zones, config.zones) : config.zones;
  const tuning: PresenceTuning = { ...config.presenceTuning, ...(remote?.presence ?? {}) };
  // Lists pushed by the cloud replace the file's: the cloud holds the store's whole list.
  const beacons = remote?.beacons ?? config.beacons;
  const sites = [
    {
      id: config.gatewayId,
      rssiOffsetDb: config.site.rssiOffsetDb,
      ...(config.site.lat === undefined ? {} : { lat: config.site.lat }),
      ...(config.site.lon === undefined ? {} : { lon: config.site.lon }),
    },
    // The store's other gateways: only a merged stream (the store LAN's live fusion, a replay of a
    // multi-gateway capture) carries their sightings; a lone gateway decides as if they were not listed.
    ...config.peers
      .filter((p) => p.id !== config.gatewayId)
      .map((p) => ({ id: p.id, rssiOffsetDb: p.rssiOffsetDb, lat: p.lat, lon: p.lon })),
  ];
  return {
    zones,
    tuning,
    // In id order, not "self first": every gateway of a store then compiles the same engine (the
    // pooled evidence is summed in this order), so all of them decide alike on the same sightings.
    gateways: sites.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    // GPS fixes reach a gateway only through itself.
    fixGatewayId: config.gatewayId,
    defaultMeasuredPowerDbm: config.site.defaultMeasuredPowerDbm,
    // Ids compared as the decoder writes them (lowercase), whatever case the file used.
    calibration: new Map((beacons.calibration ?? []).map((c) => [c.subject.toLowerCase(), c.measuredPowerDbm])),
    beacons: { allow: beacons.allow ?? [], deny: beacons.deny ?? [] },
  };
}

/**
 * The cloud's zones, each carrying the edge loss (and the peers' edge losses, `peerEdges`) this
 * gateway's site survey wrote into the file for the zone of the same id around the same gateway,
 * unless the cloud sets its own. Why: the survey
 * measured this radio in this shop, which the cloud does not know; a remote config that replaces the
 * zones must not silently drop it. A zone moved to another gateway, or redrawn with its own
 * `edgeLossDb`, takes the cloud's.
 */
export function keepSurveyedEdges(remoteZones: readonly Zone[], fileZones: readonly Zone[]): Zone[] {
  const surveyed = new Map<string, Extract<Zone, { shape: "gateway-radius" }>>();
  for (const z of fileZones)
    if (z.shape === "gateway-radius" && (z.edgeLossDb !== undefined || z.peerEdges !== undefined)) surveyed.set(z.id, z);
  return remoteZones.map((z) => {
    const own = surveyed.get(z.id);
    if (z.shape !== "gateway-radius" || own?.gatewayId !== z.gatewayId) return z;
    // Each measurement separately: the cloud may set one and not the other.
    return {
      ...z,
      ...(z.edgeLossDb === undefined && own.edgeLossDb !== undefined ? { edgeLossDb: own.edgeLossDb } : {}),
      ...(z.peerEdges === undefined && own.peerEdges !== undefined ? { peerEdges: own.peerEdges } : {}),
    };
  });
}
