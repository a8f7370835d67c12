import { engineOptions } from "../../../gateway/src/config/engineOptions.js";
import { type GatewayConfig, parseGatewayConfig } from "../../../gateway/src/config/loadConfig.js";
import { PresenceEngine } from "../../../gateway/src/domain/presence/PresenceEngine.js";
import { FusedPresence } from "../../../gateway/src/services/FusedPresence.js";
import type { LanCounters, Logger, SharedSighting, SightingChannel } from "../../../gateway/src/services/ports.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";

/** Two ceiling gateways 4 m apart (lat/lon of a shop in Paris), one zone of 5 m around the first. */
export type FusionGateway = "gw-a" | "gw-b";
const SITES = { "gw-a": { lat: 48.8566, lon: 2.3522 }, "gw-b": { lat: 48.856636, lon: 2.3522 } };

/** The config of one of the two gateways, each the other's LAN peer. */
export function configOf(self: FusionGateway): GatewayConfig {
  const other = self === "gw-a" ? "gw-b" : "gw-a";
  const parsed = parseGatewayConfig({
    storeId: "s1",
    gatewayId: self,
    mqtt: { url: "mqtt://localhost:1883", username: self, password: "x" },
    scanner: { source: "sim" },
    site: SITES[self],
    peers: [{ id: other, ...SITES[other], lan: "127.0.0.1:47810" }],
    lan: { keyFile: "/dev/null" },
    zones: [{ id: "floor", shape: "gateway-radius", gatewayId: "gw-a", radiusM: 5 }],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.config;
}

/** `self`'s live fusion over `channel`, with the pooled engine of its config and a 1.5 s allowance. */
export function fusedOf(
  self: FusionGateway,
  channel: SightingChannel,
  now: () => number,
  log: Logger = new RecordingLogger(),
  reference?: { readonly known: boolean; readonly correctionMs: number },
): FusedPresence {
  return new FusedPresence({
    gatewayId: self,
    engine: new PresenceEngine(engineOptions(configOf(self))),
    channel,
    clock: { now },
    log,
    latenessMs: 1500,
    ...(reference === undefined ? {} : { reference }),
  });
}

/** A channel's counters before anything was sent or received. */
export const counters = (): LanCounters => ({
  datagramsQueued: 0, datagramsSent: 0, datagramsReceived: 0, sightingsReceived: 0, oversized: 0, unauthenticated: 0,
  malformed: 0, stale: 0, replayed: 0, unknownSender: 0, sendErrors: 0, nacksSent: 0, retransmitted: 0,
  missed: 0, recovered: 0, abandoned: 0,
});

/** Two channels wired back to back; what one sends waits in `inFlight` until the test delivers it. */
export function fakeLan() {
  const handlers = new Map<string, (sender: string, s: readonly SharedSighting[]) => void>();
  const inFlight: { to: string; from: string; sightings: readonly SharedSighting[] }[] = [];
  const channel = (self: string, peer: string): SightingChannel => ({
    counters: counters(),
    start: async (on) => void handlers.set(self, on),
    send: (sightings) => void inFlight.push({ to: peer, from: self, sightings: [...sightings] }),
    stop: async () => void handlers.delete(self),
  });
  const deliver = (keep: (m: (typeof inFlight)[number]) => boolean = () => false) => {
    const now = inFlight.splice(0);
    for (const m of now) {
      if (keep(m)) inFlight.push(m);
      else handlers.get(m.to)?.(m.from, m.sightings);
    }
  };
  return { channel, deliver, inFlight };
}
