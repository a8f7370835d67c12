/**
 * A beacon registered to a user over HTTP must get exactly the subject id the gateway reports when
 * it hears that beacon, or the user is never recognised. Checked over the real advert bytes of the
 * decoder fixtures, with the identities typed the way people copy them (upper case, no dashes).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeAdvertisement } from "../../gateway/src/domain/advert/index.js";
import { type BeaconIdentity, isValidSubjectId, subjectIdOfBeacon } from "../../protocol/index.js";

interface Vector {
  id: string;
  format: string;
  hex_kind: string;
  hex: string;
  expected: Record<string, unknown>;
}

const vectors = (JSON.parse(readFileSync(new URL("../fixtures/ble-adverts.json", import.meta.url), "utf8")) as Vector[]).filter(
  (v) => v.hex_kind === "full_advert_ad_structures" && ["ibeacon", "altbeacon", "eddystone-uid"].includes(v.format),
);

/** The identity as a person types it from a label: hex in upper case, UUIDs without dashes. */
function typed(v: Vector): BeaconIdentity {
  const e = v.expected;
  const shout = (s: unknown) => String(s).replaceAll("-", "").toUpperCase();
  switch (v.format) {
    case "ibeacon":
      return { kind: "ibeacon", uuid: shout(e.uuid), major: Number(e.major), minor: Number(e.minor) };
    case "altbeacon":
      return { kind: "altbeacon", id1: shout(e.id1), id2: Number(e.id2), id3: Number(e.id3) };
    default:
      return { kind: "eddystone-uid", namespace: shout(e.namespace), instance: shout(e.instance) };
  }
}

describe("subject ids of registered beacons", () => {
  it("has vectors of every registrable format", () => {
    expect(new Set(vectors.map((v) => v.format))).toEqual(new Set(["ibeacon", "altbeacon", "eddystone-uid"]));
  });

  it.each(vectors.map((v) => [v.id, v] as const))("%s: registration id = the id the gateway decodes", (_id, v) => {
    const decoded = decodeAdvertisement(Buffer.from(v.hex, "hex"));
    if (!decoded || !("id" in decoded)) throw new Error(`${v.id} does not decode to an identifying beacon`);
    const identity = typed(v);
    const registered = subjectIdOfBeacon(identity);
    expect(registered).toBe(decoded.id);
    expect(isValidSubjectId(identity.kind, registered)).toBe(true);
  });
});
