import { describe, expect, it } from "vitest";
import { applySurvey } from "../../../gateway/src/config/applySurvey.js";
import { parseGatewayConfig } from "../../../gateway/src/config/loadConfig.js";
import type { SurveyCalibration } from "../../../gateway/src/domain/survey/siteSurvey.js";

const document = {
  storeId: "s1",
  gatewayId: "gw-floor",
  mqtt: { url: "mqtt://localhost:1883", username: "gw-floor", password: "x" },
  scanner: { source: "replay" },
  site: { lat: 48.8566853, lon: 2.3522815 },
  peers: [{ id: "gw-till", lat: 48.8567123, lon: 2.3523297 }],
  zones: [{ id: "store", shape: "gateway-radius", gatewayId: "gw-floor", radiusM: 5 }],
  presence: { exitAfterMs: 40_000 },
};

/** A survey of gw-floor's store zone, pooled with gw-till, with the depth rule as given. */
const calibration = (pooledDepth: SurveyCalibration["pooledDepth"], edgeSpreadDb: number): SurveyCalibration => ({
  gateways: [{ gatewayId: "gw-floor", rssiOffsetDb: 6.5, samples: 500 }],
  zones: [
    {
      zoneId: "store",
      gatewayId: "gw-floor",
      edgeLossDb: 14.5,
      reachM: 4.6,
      drawnLossDb: 15.4,
      edgeMedianLossDb: 15.5,
      edgeQuantileLossDb: 15.5,
      bound: { place: "door", lossDb: 17.5 },
      edgeSamples: 500,
      edgeSpreadDb,
      peers: [{ gatewayId: "gw-till", edgeLossDb: 16.5, samples: 480 }],
    },
  ],
  edgeSpreadDb,
  pooledDepth,
});

describe("applySurvey: the depth rule the survey recommends", () => {
  it("writes it into presence beside what was there, and says why", () => {
    const applied = applySurvey(document, calibration({ depthDb: 1.5, holdMs: 15_000 }, 11));
    expect(applied.document.presence).toEqual({ exitAfterMs: 40_000, enterPooledDepth: { depthDb: 1.5, holdMs: 15_000 } });
    const depth = applied.changes.find((c) => c.path === "/presence/enterPooledDepth/depthDb");
    expect(depth).toMatchObject({ before: null, after: 1.5 });
    expect(depth?.note).toMatch(/the edges spread 11 dB: lightly shadowed/);
    expect(applied.changes.find((c) => c.path === "/presence/enterPooledDepth/holdMs")).toMatchObject({ before: null, after: 15_000 });
    const parsed = parseGatewayConfig(applied.document);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(parsed.config.presenceTuning.enterPooledDepth).toEqual({ depthDb: 1.5, holdMs: 15_000 });
    // The input is not touched.
    expect(document.presence).toEqual({ exitAfterMs: 40_000 });
  });

  it("adds presence to a file without one, and replaces an earlier survey's values", () => {
    const { presence: _, ...bare } = document;
    const fresh = applySurvey(bare, calibration({ depthDb: 1.5, holdMs: 15_000 }, 12));
    expect(fresh.document.presence).toEqual({ enterPooledDepth: { depthDb: 1.5, holdMs: 15_000 } });
    const earlier = { ...document, presence: { enterPooledDepth: { depthDb: 2, holdMs: 30_000 } } };
    const again = applySurvey(earlier, calibration({ depthDb: 1.5, holdMs: 15_000 }, 12));
    expect(again.document.presence).toEqual({ enterPooledDepth: { depthDb: 1.5, holdMs: 15_000 } });
    expect(again.changes.find((c) => c.path === "/presence/enterPooledDepth/holdMs")).toMatchObject({ before: 30_000, after: 15_000 });
  });

  it("leaves presence as written where the shop spreads too widely", () => {
    const operator = { ...document, presence: { enterPooledDepth: { depthDb: 2, holdMs: 20_000 } } };
    const applied = applySurvey(operator, calibration(null, 16));
    expect(applied.document.presence).toEqual({ enterPooledDepth: { depthDb: 2, holdMs: 20_000 } });
    expect(applySurvey(document, calibration(null, 16)).document.presence).toEqual({ exitAfterMs: 40_000 });
    expect(applied.changes.map((c) => c.path)).toEqual(["/site/rssiOffsetDb", "/zones/0/edgeLossDb", "/zones/0/peerEdges/gw-till"]);
  });
});
