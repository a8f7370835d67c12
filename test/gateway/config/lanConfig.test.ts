import { describe, expect, it } from "vitest";
import { parseGatewayConfig } from "../../../gateway/src/config/loadConfig.js";

const base = {
  storeId: "s1",
  gatewayId: "gw-a",
  mqtt: { url: "mqtt://localhost:1883", username: "gw-a", password: "x" },
  scanner: { source: "sim" },
};
const peer = { id: "gw-b", lat: 48.8566, lon: 2.3522 };

describe("gateway config: the store LAN", () => {
  it("is optional: a gateway without it or without peers' LAN addresses has no lan section", () => {
    const parsed = parseGatewayConfig({ ...base, peers: [peer] });
    expect(parsed.ok && parsed.config.lan).toBeUndefined();
  });

  it("fills the lan section's defaults", () => {
    const parsed = parseGatewayConfig({
      ...base,
      site: { lat: 48.85663, lon: 2.3522 },
      peers: [{ ...peer, lan: "10.0.0.12:47810" }],
      lan: { keyFile: "/etc/arrival/lan.key" },
    });
    expect(parsed.ok && parsed.config.lan).toEqual({ port: 47_810, keyFile: "/etc/arrival/lan.key", latenessMs: 1500, batchMs: 250 });
  });

  it("refuses peers' LAN addresses without a key or without surveyed positions, naming each field", () => {
    const parsed = parseGatewayConfig({ ...base, peers: [{ ...peer, lan: "gw-b.local:47810" }] });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => p.path).sort()).toEqual(["/lan", "/site"]);
  });

  it("refuses a malformed peer address and a lateness out of bounds", () => {
    const parsed = parseGatewayConfig({
      ...base,
      site: { lat: 48.85663, lon: 2.3522 },
      peers: [{ ...peer, lan: "http://gw-b" }],
      lan: { keyFile: "k", latenessMs: 50 },
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => p.path)).toEqual(expect.arrayContaining(["/peers/0/lan", "/lan/latenessMs"]));
  });

  it("refuses a peer port beyond 65535", () => {
    const parsed = parseGatewayConfig({
      ...base,
      site: { lat: 48.85663, lon: 2.3522 },
      peers: [{ ...peer, lan: "10.0.0.12:70000" }],
      lan: { keyFile: "k" },
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toEqual([{ path: "/peers/0/lan", message: "port 70000 is not within 1..65535" }]);
  });
});
