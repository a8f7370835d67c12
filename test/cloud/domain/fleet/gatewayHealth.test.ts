import { describe, expect, it } from "vitest";
import {
  checkDesiredConfig,
  configView,
  type GatewayPresenceFacts,
  gatewayHealth,
  nextRevision,
} from "../../../../cloud/src/domain/fleet/index.js";

const T = { staleAfterMs: 120_000, offlineAlertMs: 600_000 };
const NOW = 10_000_000;

describe("gatewayHealth", () => {
  const cases: [string, GatewayPresenceFacts, ReturnType<typeof gatewayHealth>][] = [
    ["never heard", { reportedState: null, offlineSince: null, lastSeenAt: null }, { state: "unknown", offlineSince: null, offlineTooLong: false }],
    ["online, heard just now", { reportedState: "online", offlineSince: null, lastSeenAt: NOW }, { state: "online", offlineSince: null, offlineTooLong: false }],
    ["online, heard exactly staleAfter ago", { reportedState: "online", offlineSince: null, lastSeenAt: NOW - 120_000 }, { state: "online", offlineSince: null, offlineTooLong: false }],
    ["online but silent past staleAfter", { reportedState: "online", offlineSince: null, lastSeenAt: NOW - 120_001 }, { state: "offline", offlineSince: NOW - 120_001, offlineTooLong: false }],
    ["silent past the alert", { reportedState: "online", offlineSince: null, lastSeenAt: NOW - 600_001 }, { state: "offline", offlineSince: NOW - 600_001, offlineTooLong: true }],
    ["events only, fresh", { reportedState: null, offlineSince: null, lastSeenAt: NOW - 1000 }, { state: "online", offlineSince: null, offlineTooLong: false }],
    ["last will just now", { reportedState: "offline", offlineSince: NOW, lastSeenAt: NOW - 5000 }, { state: "offline", offlineSince: NOW, offlineTooLong: false }],
    ["last will exactly at the alert", { reportedState: "offline", offlineSince: NOW - 600_000, lastSeenAt: NOW - 600_000 }, { state: "offline", offlineSince: NOW - 600_000, offlineTooLong: false }],
    ["online, radio interrupted: degraded", { reportedState: "online", offlineSince: null, lastSeenAt: NOW, scanState: "interrupted" }, { state: "degraded", offlineSince: null, offlineTooLong: false }],
    ["online, radio scanning", { reportedState: "online", offlineSince: null, lastSeenAt: NOW, scanState: "scanning" }, { state: "online", offlineSince: null, offlineTooLong: false }],
    // Silence and a last will outrank the radio: a gateway that is gone is offline, not degraded.
    ["radio interrupted but silent past staleAfter", { reportedState: "online", offlineSince: null, lastSeenAt: NOW - 120_001, scanState: "interrupted" }, { state: "offline", offlineSince: NOW - 120_001, offlineTooLong: false }],
    ["last will after an interruption", { reportedState: "offline", offlineSince: NOW, lastSeenAt: NOW - 5000, scanState: "interrupted" }, { state: "offline", offlineSince: NOW, offlineTooLong: false }],
    ["last will past the alert", { reportedState: "offline", offlineSince: NOW - 600_001, lastSeenAt: null }, { state: "offline", offlineSince: NOW - 600_001, offlineTooLong: true }],
  ];
  it.each(cases)("%s", (_name, facts, expected) => {
    expect(gatewayHealth(facts, NOW, T)).toEqual(expected);
  });
});

describe("configView and nextRevision", () => {
  it("compares the desired revision with the gateway's report", () => {
    expect(configView(null, null).state).toBe("none");
    expect(configView(null, { revision: 3, state: "applied" })).toMatchObject({ state: "none", reportedRevision: 3 });
    expect(configView(4, null).state).toBe("pending");
    expect(configView(4, { revision: 3, state: "applied" }).state).toBe("pending");
    expect(configView(4, { revision: 4, state: "applied" })).toEqual({
      desiredRevision: 4,
      reportedRevision: 4,
      state: "applied",
      problems: [],
    });
    const problems = [{ path: "", message: "zones[1]: duplicate id" }];
    expect(configView(4, { revision: 4, state: "rejected", problems })).toMatchObject({ state: "rejected", problems });
    // Someone else's newer revision: its own rejection is shown as is; applied, it is not ours.
    expect(configView(4, { revision: 5, state: "rejected", problems })).toMatchObject({ state: "rejected", problems });
    expect(configView(4, { revision: 5, state: "applied" }).problems[0]?.path).toBe("/revision");
  });

  it("numbers the next push above both the desired and the reported revision", () => {
    expect(nextRevision(null, null)).toBe(1);
    expect(nextRevision(3, null)).toBe(4);
    expect(nextRevision(3, 9)).toBe(10);
    expect(nextRevision(null, 2)).toBe(3);
  });
});

describe("checkDesiredConfig", () => {
  it("accepts zones around the store's gateways and geofences", () => {
    const checked = checkDesiredConfig(
      {
        zones: [
          { id: "a", shape: "gateway-radius", gatewayId: "g2", radiusM: 3 },
          { id: "b", shape: "circle", center: { lat: 22.3, lon: 114.2 }, radiusM: 50 },
        ],
        presence: { enterMinSamples: 4 },
      },
      ["g1", "g2"],
    );
    expect(checked.ok).toBe(true);
  });

  it("reports every problem with its path: schema first, then store membership, duplicates and size", () => {
    const schema = checkDesiredConfig({ zones: [{ id: "a", shape: "square" }], v: 1 }, ["g1"]);
    expect(schema.ok ? [] : schema.problems.map((p) => p.path).sort()).toEqual(["", "/zones/0/shape"]);
    const semantic = checkDesiredConfig(
      {
        zones: [
          { id: "a", shape: "gateway-radius", gatewayId: "g7", radiusM: 3 },
          { id: "a", shape: "gateway-radius", gatewayId: "g1", radiusM: 3 },
        ],
      },
      ["g1"],
    );
    expect(semantic.ok ? [] : semantic.problems.map((p) => p.path)).toEqual(["/zones/0/gatewayId", "/zones/1/id"]);
    const points = Array.from({ length: 100 }, (_, i) => ({ lat: 22 + i / 1000.123456789, lon: 114 + i / 1000.987654321 }));
    const huge = checkDesiredConfig(
      { zones: Array.from({ length: 200 }, (_, i) => ({ id: `zone-${i}`, shape: "polygon", points })) },
      ["g1"],
    );
    expect(huge.ok ? "" : huge.problems[0]?.message).toMatch(/bytes; a gateway accepts at most 262144/);
  });
});
