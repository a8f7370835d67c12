import { describe, expect, it } from "vitest";
import { type BeaconLists, beaconFilter } from "../../../../gateway/src/domain/presence/beaconFilter.js";

const UUID = "2f234454-cf6d-4a0f-adf2-f4911ba9ffa6";
const LISTS: BeaconLists = {
  allow: [{ match: `ibeacon:${UUID}:*` }, { match: "eddystone-uid:00112233445566778899:aabbccddeeff" }],
  deny: [
    { match: `ibeacon:${UUID}:7:*`, role: "staff" },
    { match: `IBEACON:${UUID.toUpperCase()}:1:99`, role: "fixture" },
  ],
};

describe("beaconFilter", () => {
  const verdict = beaconFilter(LISTS);
  it.each([
    ["a shopper's beacon of the allowed UUID", `ibeacon:${UUID}:1:2`, { tracked: true }],
    ["an allowed exact Eddystone id", "eddystone-uid:00112233445566778899:aabbccddeeff", { tracked: true }],
    ["a staff badge (denied prefix), though its UUID is allowed", `ibeacon:${UUID}:7:15`, { tracked: false, reason: "denied", role: "staff" }],
    ["the till's beacon (denied exactly, listed in upper case)", `ibeacon:${UUID}:1:99`, { tracked: false, reason: "denied", role: "fixture" }],
    ["a beacon of another UUID", "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:2", { tracked: false, reason: "not-allowed" }],
    ["a prefix match is a prefix, not a substring", `x-ibeacon:${UUID}:1:2`, { tracked: false, reason: "not-allowed" }],
  ] as const)("%s", (_name, id, expected) => {
    expect(verdict(id)).toEqual(expected);
  });

  it("tracks everything but the denied when the allow list is empty", () => {
    const onlyDeny = beaconFilter({ allow: [], deny: [{ match: `ibeacon:${UUID}:7:*` }] });
    expect(onlyDeny("ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:2")).toEqual({ tracked: true });
    expect(onlyDeny(`ibeacon:${UUID}:7:1`)).toEqual({ tracked: false, reason: "denied", role: null });
  });
});
