/**
 * Vectors written from the specifications (Apple Proximity Beacon Specification R1, AltBeacon v1.0,
 * google/eddystone frame specs, Core Spec Vol 3 Part C §11), one behaviour per case.
 */
import { describe, expect, it } from "vitest";
import {
  BEACON_FORMATS,
  type DecodedBeacon,
  decodeAdvertisement,
  decodeNobleAdvertisement,
  subjectOf,
} from "../../../../gateway/src/domain/advert/index.js";
import { SUBJECT_ID_PATTERNS } from "../../../../protocol/index.js";
import {
  ad,
  advert,
  bytes,
  EDDYSTONE_UUID_LIST,
  eddystone,
  FLAGS,
  hex,
  manufacturer,
  toNobleAdvertisement,
} from "./advertBytes.js";

const UUID_HEX = "f7826da64fa24e988024bc5b71e0893e";
const UUID = "f7826da6-4fa2-4e98-8024-bc5b71e0893e";
/** iBeacon manufacturer data: 4c00 (Apple, LE) 02 15 <uuid> major 0x0102 minor 0xfffe power 0xc5 (-59). */
const IBEACON = `4c000215${UUID_HEX}0102fffec5`;
/** AltBeacon: company 0x0118 (LE 18 01), code be ac, id1, id2 0x0005, id3 0x0006, ref RSSI 0xbe (-66), reserved 0x2a. */
const ALTBEACON = `1801beac${UUID_HEX}00050006be2a`;
/** Eddystone-UID: 00, tx 0xe7 (-25), namespace 10 B, instance 6 B, RFU 00 00. */
const UID = "00e7000102030405060708090a0b0c0d0e0f0000";
/** Eddystone-EID: 30, tx 0xf4 (-12), 8 B. */
const EID = "30f40123456789abcdef";
/** Plain TLM: 20 00, 3000 mV, 20.0 °C, 1 advert, 16.0 s. */
const TLM = "20000bb8140000000001000000a0";

function decode(...structures: string[]): DecodedBeacon | null {
  return decodeAdvertisement(advert(...structures));
}

describe("iBeacon (Apple Proximity Beacon Specification R1)", () => {
  it("decodes UUID (offsets 4-19), major (20-21), minor (22-23) and measured power (24)", () => {
    expect(decode(FLAGS, manufacturer(IBEACON))).toEqual({
      format: "ibeacon",
      id: `ibeacon:${UUID}:258:65534`,
      uuid: UUID,
      major: 258,
      minor: 65534,
      measuredPower: -59,
    });
  });

  it("reads extremes: major/minor 0 and 65535, power -128 and +127", () => {
    const low = decode(manufacturer(`4c000215${UUID_HEX}0000000080`));
    expect(low).toMatchObject({ major: 0, minor: 0, measuredPower: -128, id: `ibeacon:${UUID}:0:0` });
    const high = decode(manufacturer(`4c000215${UUID_HEX}ffffffff7f`));
    expect(high).toMatchObject({ major: 65535, minor: 65535, measuredPower: 127 });
  });

  it("ignores bytes after the 21 announced by the length byte 0x15", () => {
    expect(decode(manufacturer(`${IBEACON}0a0b0c`))).toMatchObject({ format: "ibeacon", major: 258 });
  });

  it.each([
    ["one byte short (24 bytes)", IBEACON.slice(0, -2)],
    ["header only", "4c000215"],
    ["company id only", "4c00"],
    ["empty manufacturer data", ""],
    ["another company", `4d000215${UUID_HEX}0102fffec5`],
    ["Apple, another message type (0x12 Find My)", `4c001215${UUID_HEX}0102fffec5`],
    ["Apple type 0x02 with a wrong length byte", `4c000216${UUID_HEX}0102fffec5`],
  ])("null when %s", (_, data) => {
    expect(decode(FLAGS, manufacturer(data))).toBeNull();
  });
});

describe("AltBeacon (AltBeacon spec v1.0)", () => {
  it("decodes company (0-1 LE), id1 (4-19), id2 (20-21), id3 (22-23), ref RSSI (24), reserved (25)", () => {
    expect(decode(FLAGS, manufacturer(ALTBEACON))).toEqual({
      format: "altbeacon",
      id: `altbeacon:${UUID_HEX}:5:6`,
      companyId: 0x0118,
      id1: UUID_HEX,
      id2: 5,
      id3: 6,
      referenceRssi: -66,
      mfgReserved: 42,
    });
  });

  it("reports mfgReserved null when the optional last byte is missing", () => {
    expect(decode(manufacturer(ALTBEACON.slice(0, -2)))).toMatchObject({
      format: "altbeacon",
      mfgReserved: null,
    });
  });

  it("accepts any company id, Apple's included: the beacon code marks the format", () => {
    expect(decode(manufacturer(`4c00beac${ALTBEACON.slice(8)}`))).toMatchObject({
      format: "altbeacon",
      companyId: 0x004c,
    });
    expect(decode(manufacturer(`ffffbeac${ALTBEACON.slice(8)}`))).toMatchObject({ companyId: 0xffff });
  });

  it.each([
    ["24 bytes", ALTBEACON.slice(0, -4)],
    ["beacon code byte-swapped (ac be)", `1801acbe${ALTBEACON.slice(8)}`],
    ["code only", "1801beac"],
  ])("null when %s", (_, data) => {
    expect(decode(manufacturer(data))).toBeNull();
  });
});

describe("Eddystone-UID (frame 0x00)", () => {
  it("decodes TX power (1), namespace (2-11) and instance (12-17)", () => {
    expect(decode(FLAGS, EDDYSTONE_UUID_LIST, eddystone(UID))).toEqual({
      format: "eddystone-uid",
      id: "eddystone-uid:00010203040506070809:0a0b0c0d0e0f",
      namespace: "00010203040506070809",
      instance: "0a0b0c0d0e0f",
      txPower: -25,
    });
  });

  it("accepts the legacy 18-byte frame without RFU bytes (service data length 0x15)", () => {
    expect(decode(eddystone(UID.slice(0, -4)))).toMatchObject({
      format: "eddystone-uid",
      instance: "0a0b0c0d0e0f",
    });
  });

  it("does not reject non-zero RFU bytes", () => {
    expect(decode(eddystone(`${UID.slice(0, -4)}ffff`))).toMatchObject({ format: "eddystone-uid" });
  });

  it("null when shorter than 18 bytes", () => {
    expect(decode(eddystone(UID.slice(0, -6)))).toBeNull();
    expect(decode(eddystone("00"))).toBeNull();
  });
});

describe("Eddystone-URL (frame 0x10)", () => {
  it.each([
    ["00", "http://www."],
    ["01", "https://www."],
    ["02", "http://"],
    ["03", "https://"],
  ])("scheme prefix 0x%s is %s", (scheme, prefix) => {
    expect(decode(eddystone(`10eb${scheme}${hex(new TextEncoder().encode("a.b"))}`))).toEqual({
      format: "eddystone-url",
      id: null,
      url: `${prefix}a.b`,
      txPower: -21,
    });
  });

  const expansions = [
    ".com/",
    ".org/",
    ".edu/",
    ".net/",
    ".info/",
    ".biz/",
    ".gov/",
    ".com",
    ".org",
    ".edu",
    ".net",
    ".info",
    ".biz",
    ".gov",
  ];
  it.each(expansions.map((text, code) => [code, text] as const))("expansion code %i is %s", (code, text) => {
    const codeHex = code.toString(16).padStart(2, "0");
    expect(decode(eddystone(`100003${hex(new TextEncoder().encode("x"))}${codeHex}7a`))).toMatchObject({
      url: `https://x${text}z`,
    });
  });

  it("expands several codes in one URL", () => {
    // "goo" .com/ "gl" .org — any mix is legal.
    expect(decode(eddystone("1000026f6f6f00676c08"))).toMatchObject({ url: "http://ooo.com/gl.org" });
  });

  it("accepts 0 and 17 encoded bytes (eddystone-url: 'Length 0-17'), not 18", () => {
    expect(decode(eddystone("100003"))).toMatchObject({ url: "https://" });
    expect(decode(eddystone(`100003${"61".repeat(17)}`))).toMatchObject({ url: `https://${"a".repeat(17)}` });
    expect(decode(eddystone(`100003${"61".repeat(18)}`))).toBeNull();
  });

  it.each([
    ["reserved code 0x0e", "100003610e"],
    ["reserved code 0x20 (space)", "1000036120"],
    ["reserved code 0x7f", "100003617f"],
    ["reserved code 0xff", "10000361ff"],
    ["unknown scheme 0x04", "10000461"],
    ["no scheme byte", "1000"],
    ["frame type only", "10"],
  ])("null for %s", (_, frame) => {
    expect(decode(eddystone(frame))).toBeNull();
  });
});

describe("Eddystone-TLM (frame 0x20, version 0x00)", () => {
  /** 20 00 | VBATT | TEMP | ADV_CNT | SEC_CNT */
  const tlm = (vbatt: string, temp: string, adv = "00000001", sec = "0000000a") =>
    `2000${vbatt}${temp}${adv}${sec}`;

  it("decodes battery mV (2-3), temperature (4-5), adv count (6-9) and uptime in 0.1 s (10-13)", () => {
    expect(
      decode(FLAGS, EDDYSTONE_UUID_LIST, eddystone(tlm("0bb8", "1580", "00000045", "00000259"))),
    ).toEqual({
      format: "eddystone-tlm",
      id: null,
      batteryMv: 3000,
      temperatureC: 21.5,
      advCount: 69,
      uptimeS: 60.1,
    });
  });

  it.each([
    ["ff80", -0.5],
    ["ec00", -20],
    ["f6c0", -9.25],
    ["8001", -127.99609375],
    ["7fff", 127.99609375],
    ["0001", 1 / 256],
    ["0000", 0],
  ])("temperature 0x%s is %f °C (signed 8.8 fixed point)", (temp, celsius) => {
    expect(decode(eddystone(tlm("0bb8", temp)))).toMatchObject({ temperatureC: celsius });
  });

  it("reports temperature null for 0x8000 ('not supported')", () => {
    expect(decode(eddystone(tlm("0bb8", "8000")))).toMatchObject({ temperatureC: null });
  });

  it("reports battery null for 0 ('if not supported ... the value should be zeroed')", () => {
    expect(decode(eddystone(tlm("0000", "1400")))).toMatchObject({ batteryMv: null, temperatureC: 20 });
  });

  it("reads the 32-bit counters unsigned", () => {
    expect(decode(eddystone(tlm("ffff", "1400", "ffffffff", "ffffffff")))).toMatchObject({
      batteryMv: 65535,
      advCount: 4294967295,
      uptimeS: 429496729.5,
    });
  });

  it("null when shorter than 14 bytes or for an unknown version", () => {
    expect(decode(eddystone(tlm("0bb8", "1400").slice(0, -2)))).toBeNull();
    expect(decode(eddystone(`2002${tlm("0bb8", "1400").slice(4)}`))).toBeNull();
    expect(decode(eddystone("20"))).toBeNull();
  });
});

describe("encrypted Eddystone-TLM (frame 0x20, version 0x01)", () => {
  it("decodes ETLM (2-13), salt (14-15) and MIC (16-17) as hex", () => {
    expect(decode(eddystone("2001000102030405060708090a0bbeefcafe"))).toEqual({
      format: "eddystone-etlm",
      id: null,
      etlm: "000102030405060708090a0b",
      salt: "beef",
      mic: "cafe",
    });
  });

  it("null when the MIC is cut off", () => {
    expect(decode(eddystone("2001000102030405060708090a0bbeefca"))).toBeNull();
  });
});

describe("Eddystone-EID (frame 0x30)", () => {
  it("decodes TX power (1) and the 8-byte EID (2-9)", () => {
    expect(decode(eddystone(EID))).toEqual({
      format: "eddystone-eid",
      id: "eddystone-eid:0123456789abcdef",
      eid: "0123456789abcdef",
      txPower: -12,
    });
  });

  it("null when shorter than 10 bytes", () => {
    expect(decode(eddystone(EID.slice(0, -2)))).toBeNull();
  });
});

describe("Eddystone framing", () => {
  it.each(["01", "40", "50", "f0", "11"])(
    "null for unknown frame type 0x%s (low nibble reserved, 0x40+ undefined)",
    (frameType) => {
      expect(decode(eddystone(`${frameType}${UID.slice(2)}`))).toBeNull();
    },
  );

  it("needs service UUID 0xFEAA (little-endian aa fe) in 16-bit service data (AD type 0x16)", () => {
    expect(decode(ad(0x16, `feaa${UID}`))).toBeNull();
    expect(decode(ad(0x16, `abfe${UID}`))).toBeNull();
    expect(decode(ad(0x16, "aa"))).toBeNull();
    expect(decode(ad(0x16, "aafe"))).toBeNull();
    // A 32-bit service data structure (0x20) is not Eddystone even with FEAA in it.
    expect(decode(ad(0x20, `aafe0000${UID}`))).toBeNull();
  });

  it("needs no UUID list: service data alone is unambiguous", () => {
    expect(decode(eddystone(EID))).toMatchObject({ format: "eddystone-eid" });
  });
});

describe("AD structure walk (Core Spec Vol 3 Part C §11)", () => {
  it("null for empty data and for padding only", () => {
    expect(decodeAdvertisement(new Uint8Array(0))).toBeNull();
    expect(decodeAdvertisement(new Uint8Array(31))).toBeNull();
  });

  it("a zero length byte ends the significant part: nothing after it is read", () => {
    expect(decode(FLAGS, "00", manufacturer(IBEACON))).toBeNull();
    expect(decode(FLAGS, manufacturer(IBEACON), "00", eddystone(EID))).toMatchObject({ format: "ibeacon" });
  });

  it("a length past the end breaks the advert: that structure and later ones are ignored", () => {
    // Alone:
    expect(decodeAdvertisement(bytes(manufacturer(IBEACON)).subarray(0, 25))).toBeNull();
    // Before a good one, whose bytes it swallows: a byte search for 4c000215 would find an iBeacon here.
    expect(decode(FLAGS, "3f09", manufacturer(IBEACON))).toBeNull();
    // A trailing byte claiming 0xe4 bytes (an RSSI left on by a capture tool):
    expect(decode(FLAGS, eddystone(EID), "e4")).toMatchObject({ format: "eddystone-eid" });
  });

  it("structures before a broken one still count", () => {
    expect(decode(FLAGS, manufacturer(IBEACON), "1aff4c00")).toMatchObject({ format: "ibeacon" });
  });

  it("skips well-framed structures that are not beacons, including malformed beacon-shaped ones", () => {
    const name = ad(0x09, hex(new TextEncoder().encode("shelf-3")));
    expect(decode(FLAGS, name, ad(0x0a, "04"), manufacturer(ALTBEACON))).toMatchObject({
      format: "altbeacon",
    });
    expect(decode(manufacturer(IBEACON.slice(0, -2)), eddystone(UID))).toMatchObject({
      format: "eddystone-uid",
    });
    expect(decode(eddystone("01"), eddystone(EID))).toMatchObject({ format: "eddystone-eid" });
  });

  it("skips a structure with a type and no data", () => {
    expect(decode("01ff", "0116", manufacturer(IBEACON))).toMatchObject({ format: "ibeacon" });
  });

  it("returns the FIRST beacon in AD order when several are present", () => {
    expect(decode(manufacturer(IBEACON), eddystone(UID))).toMatchObject({ format: "ibeacon" });
    expect(decode(eddystone(UID), manufacturer(IBEACON))).toMatchObject({ format: "eddystone-uid" });
    expect(decode(eddystone(TLM), eddystone(EID))).toMatchObject({ format: "eddystone-tlm" });
  });

  it("does not search inside another company's data (Estimote data holding 'aa fe')", () => {
    expect(decode(FLAGS, manufacturer(`5d01aafe00${UID}`))).toBeNull();
  });

  it("reads a view at a non-zero byteOffset correctly", () => {
    const backing = bytes(`ffffff${FLAGS}${manufacturer(IBEACON)}`);
    expect(decodeAdvertisement(backing.subarray(3))).toMatchObject({ format: "ibeacon", minor: 65534 });
  });

  it("does not modify its input", () => {
    const data = advert(FLAGS, manufacturer(IBEACON));
    const copy = data.slice();
    decodeAdvertisement(data);
    expect(data).toEqual(copy);
  });

  it("accepts long extended-advertising data", () => {
    const filler = ad(0x09, "61".repeat(250)).repeat(6);
    expect(decodeAdvertisement(advert(filler, eddystone(EID)))).toMatchObject({ format: "eddystone-eid" });
  });
});

describe("decodeNobleAdvertisement", () => {
  it("decodes manufacturer data and Eddystone service data", () => {
    expect(decodeNobleAdvertisement({ manufacturerData: bytes(IBEACON) })).toMatchObject({
      format: "ibeacon",
    });
    expect(decodeNobleAdvertisement({ serviceData: [{ uuid: "feaa", data: bytes(UID) }] })).toMatchObject({
      format: "eddystone-uid",
    });
  });

  it("accepts the UUID in upper case and in 128-bit Bluetooth base form", () => {
    for (const uuid of ["FEAA", "0000feaa-0000-1000-8000-00805f9b34fb", "0000FEAA00001000800000805F9B34FB"]) {
      expect(decodeNobleAdvertisement({ serviceData: [{ uuid, data: bytes(EID) }] })).toMatchObject({
        format: "eddystone-eid",
      });
    }
  });

  it("ignores other service UUIDs and empty data", () => {
    expect(decodeNobleAdvertisement({ serviceData: [{ uuid: "fd6f", data: bytes(UID) }] })).toBeNull();
    expect(decodeNobleAdvertisement({ serviceData: [{ uuid: "feaa", data: new Uint8Array(0) }] })).toBeNull();
    expect(decodeNobleAdvertisement({ manufacturerData: new Uint8Array(0), serviceData: [] })).toBeNull();
    expect(decodeNobleAdvertisement({})).toBeNull();
    expect(decodeNobleAdvertisement({ manufacturerData: undefined, serviceData: undefined })).toBeNull();
  });

  it("tries manufacturer data first, then service data in order (noble has lost the AD order)", () => {
    expect(
      decodeNobleAdvertisement({
        manufacturerData: bytes(ALTBEACON),
        serviceData: [{ uuid: "feaa", data: bytes(UID) }],
      }),
    ).toMatchObject({ format: "altbeacon" });
    expect(
      decodeNobleAdvertisement({
        serviceData: [
          { uuid: "feaa", data: bytes("01") },
          { uuid: "feaa", data: bytes(EID) },
          { uuid: "feaa", data: bytes(UID) },
        ],
      }),
    ).toMatchObject({ format: "eddystone-eid" });
  });

  it("agrees with decodeAdvertisement on single-beacon adverts", () => {
    for (const structure of [
      manufacturer(IBEACON),
      manufacturer(ALTBEACON),
      eddystone(UID),
      eddystone(EID),
    ]) {
      const data = advert(FLAGS, structure);
      expect(decodeNobleAdvertisement(toNobleAdvertisement(data))).toEqual(decodeAdvertisement(data));
    }
  });
});

describe("subjectOf", () => {
  const beacons = [
    decode(manufacturer(IBEACON)),
    decode(manufacturer(ALTBEACON)),
    decode(eddystone(UID)),
    decode(eddystone("100003616263")),
    decode(eddystone(TLM)),
    decode(eddystone("2001000102030405060708090a0bbeefcafe")),
    decode(eddystone(EID)),
  ];

  it("covers every format", () => {
    expect(beacons.map((beacon) => beacon?.format)).toEqual(BEACON_FORMATS);
  });

  it("gives kind and id for identifying formats, matching protocol's patterns; null otherwise", () => {
    const subjects = beacons.map((beacon) => (beacon === null ? undefined : subjectOf(beacon)));
    expect(subjects).toEqual([
      { kind: "ibeacon", id: `ibeacon:${UUID}:258:65534` },
      { kind: "altbeacon", id: `altbeacon:${UUID_HEX}:5:6` },
      { kind: "eddystone-uid", id: "eddystone-uid:00010203040506070809:0a0b0c0d0e0f" },
      null,
      null,
      null,
      { kind: "eddystone-eid", id: "eddystone-eid:0123456789abcdef" },
    ]);
    for (const subject of subjects) {
      if (subject) expect(subject.id).toMatch(SUBJECT_ID_PATTERNS[subject.kind]);
    }
  });
});
