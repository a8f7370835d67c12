import { createSocket } from "node:dgram";
import { UdpSightingChannel } from "../../../../gateway/src/adapters/lan/UdpSightingChannel.js";
import type { Logger, SharedSighting } from "../../../../gateway/src/services/ports.js";

/** The store key of the tests' LAN (48 bytes: at least the 32 the channel asks for). */
export const KEY = Buffer.from("0123456789abcdef0123456789abcdef0123456789abcdef");
export const STORE = "s1";

/**
 * A UDP channel of gateway `gatewayId` on 127.0.0.1 (a free port, once started), whose one peer
 * `peer` listens at `peer.port` (1 when this one never sends), on `now`'s clock, refusing datagrams
 * older than 2 s. Not started: a FusedPresence starts its own.
 */
export function lanChannel(gatewayId: string, peer: { readonly id: string; readonly port: number }, now: () => number, log: Logger): UdpSightingChannel {
  return new UdpSightingChannel({
    storeId: STORE,
    gatewayId,
    key: KEY,
    port: 0,
    bindHost: "127.0.0.1",
    peers: [{ id: peer.id, host: "127.0.0.1", port: peer.port }],
    clock: { now },
    log,
    maxAgeMs: 2000,
  });
}

/** {@link lanChannel}, started: what arrives goes to `onSightings`. Stop it after the test. */
export async function startChannel(
  gatewayId: string,
  peer: { readonly id: string; readonly port: number },
  now: () => number,
  log: Logger,
  onSightings: (sender: string, sightings: readonly SharedSighting[]) => void = () => undefined,
): Promise<UdpSightingChannel> {
  const channel = lanChannel(gatewayId, peer, now, log);
  await channel.start(onSightings);
  return channel;
}

/** What a receiving channel was handed: each sender's batches in order of arrival. */
export function collector(): {
  readonly got: { sender: string; sightings: readonly SharedSighting[] }[];
  readonly on: (sender: string, sightings: readonly SharedSighting[]) => void;
} {
  const got: { sender: string; sightings: readonly SharedSighting[] }[] = [];
  return { got, on: (sender, sightings) => void got.push({ sender, sightings }) };
}

/**
 * A UDP relay on 127.0.0.1 in front of `targetPort` that drops the datagrams whose index (from 0)
 * is in `drop`: a LAN that loses exactly those.
 */
export async function lossyRelay(targetPort: () => number, drop: ReadonlySet<number>) {
  const socket = createSocket("udp4");
  const state = { seen: 0, passed: 0 };
  socket.on("message", (msg) => {
    if (!drop.has(state.seen++)) {
      state.passed++;
      socket.send(msg, targetPort(), "127.0.0.1");
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return { port: socket.address().port, state, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}
