/**
 * Table-driven test over the shared vectors: real adverts from other projects' test suites
 * (room-assistant, theengs/decoder, beacontools, advlib, android-beacon-library, ibeacon-ble), each
 * with its provenance and expected decoded values. Every vector goes through both entry points.
 *
 * The vectors use their own field names; `expectedInOurTerms` maps each one onto our output, and any
 * field it does not know fails the test, so a new vector field is mapped or ignored on purpose.
 * None of the 44 expected values contradicts the specifications; the differences are representation:
 * - AltBeacon `id1` is given as a dashed UUID; ours is 32 hex chars undashed (the AltBeacon spec does
 *   not make the beacon id a UUID, and the subject id pattern wants it undashed).
 * - eTLM `salt`/`mic` are given as big-endian integers; ours are the same bytes as hex strings.
 * - TLM `secCount` is the raw 0.1 s counter; ours is `uptimeS` = secCount / 10 (tlm-plain.md).
 */
import { describe, expect, it } from "vitest";
import {
  type DecodedBeacon,
  decodeAdvertisement,
  decodeNobleAdvertisement,
  subjectOf,
} from "../../../../gateway/src/domain/advert/index.js";
import { isValidSubjectId } from "../../../../protocol/index.js";
import { loadVectors, type Vector, vectorAdvertisingData, vectorNobleAdvertisement } from "./advertBytes.js";

const vectors = loadVectors();

/** Vector fields that describe something other than our output, with the reason. */
const NOT_OUR_OUTPUT: Readonly<Record<string, string>> = {
  adExtras: "other AD structures (flags, local name, TX power level); the decoder reports only the beacon",
  adTypes: "list of AD types present",
  txPowerLevel: "the TX Power Level AD structure (0x0a), not a beacon field",
  reason: "prose explaining why the vector is not a beacon",
  distanceAtRssiMinus50_roomAssistant: "room-assistant's distance estimate; distance is signal/, not advert/",
  measuredPowerPlausible: "a judgement for the distance layer; the decoder reports the byte as sent",
  theengsDecodesAs: "what another decoder (wrongly) makes of it",
  advlibDeviceId: "advlib's own id format; our subject id is checked against protocol's pattern instead",
};

interface Expectation {
  /** Exact values, in our field names. */
  readonly exact: Record<string, unknown>;
  /** Values compared to 4 decimal places (fixed-point temperatures). */
  readonly close: Record<string, number>;
}

function expectedInOurTerms(vector: Vector): Expectation | null {
  const expected = vector.expected;
  if ("beacon" in expected) {
    expect(expected.beacon).toBeNull();
    return null;
  }
  const exact: Record<string, unknown> = {};
  const close: Record<string, number> = {};
  const format = expected.type;
  for (const [key, value] of Object.entries(expected)) {
    if (key in NOT_OUR_OUTPUT) continue;
    switch (key) {
      case "type":
        exact.format = value;
        break;
      case "companyId":
        // iBeacon is Apple's format: the company id is always 0x004C and implied by `format`.
        if (format === "ibeacon") expect(value).toBe(0x004c);
        else exact.companyId = value;
        break;
      case "beaconCode":
        // AltBeacon's code is always 0xBEAC and implied by `format`.
        expect(value).toBe("beac");
        break;
      case "version":
        // TLM version 0x00 is `eddystone-tlm`, 0x01 is `eddystone-etlm`.
        expect(value).toBe(format === "eddystone-etlm" ? 1 : 0);
        break;
      case "id1":
        exact.id1 = String(value).replaceAll("-", "");
        break;
      case "txPowerAt0m":
        exact.txPower = value;
        break;
      case "batteryMilliVolts":
        exact.batteryMv = value;
        break;
      case "temperatureC":
        close.temperatureC = Number(value);
        break;
      case "uptimeSeconds":
        close.uptimeS = Number(value);
        break;
      case "secCount":
        exact.uptimeS = Number(value) / 10;
        break;
      case "salt":
      case "mic":
        exact[key] = Number(value).toString(16).padStart(4, "0");
        break;
      case "uuid":
      case "major":
      case "minor":
      case "measuredPower":
      case "id2":
      case "id3":
      case "referenceRssi":
      case "mfgReserved":
      case "namespace":
      case "instance":
      case "url":
      case "advCount":
      case "etlm":
      case "eid":
        exact[key] = value;
        break;
      default:
        throw new Error(
          `vector ${vector.id}: field ${key} is not mapped; map it or list it in NOT_OUR_OUTPUT`,
        );
    }
  }
  return { exact, close };
}

function check(vector: Vector, actual: DecodedBeacon | null): void {
  const expectation = expectedInOurTerms(vector);
  if (expectation === null) {
    expect(actual).toBeNull();
    return;
  }
  expect(actual).not.toBeNull();
  if (actual === null) return;
  expect(actual).toMatchObject(expectation.exact);
  for (const [key, value] of Object.entries(expectation.close)) {
    expect((actual as unknown as Record<string, number>)[key]).toBeCloseTo(value, 4);
  }
  const subject = subjectOf(actual);
  if (subject === null) expect(actual.id).toBeNull();
  else {
    expect(subject.id).toBe(actual.id);
    expect(isValidSubjectId(subject.kind, subject.id)).toBe(true);
  }
}

describe("shared BLE advert vectors", () => {
  it("holds the 44 vectors with provenance", () => {
    expect(vectors).toHaveLength(44);
    for (const vector of vectors) expect(vector.source_repo).toMatch(/^[\w.-]+\/[\w.-]+$/);
  });

  it.each(vectors.map((vector) => [vector.id, vector] as const))("%s: advertising data", (_, vector) => {
    check(vector, decodeAdvertisement(vectorAdvertisingData(vector)));
  });

  it.each(vectors.map((vector) => [vector.id, vector] as const))("%s: noble advertisement", (_, vector) => {
    check(vector, decodeNobleAdvertisement(vectorNobleAdvertisement(vector)));
  });

  it("decodes every vector the fixture calls a beacon, and nothing else", () => {
    const decoded = vectors.filter((vector) => decodeAdvertisement(vectorAdvertisingData(vector)) !== null);
    const beacons = vectors.filter((vector) => !("beacon" in vector.expected));
    expect(decoded.map((vector) => vector.id)).toEqual(beacons.map((vector) => vector.id));
    expect(beacons).toHaveLength(27);
  });
});
