import { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import {
  adStructuresFromNoble,
  type NobleParsedAdvertisement,
} from "../../../../gateway/src/adapters/noble/adStructuresFromNoble.js";
import { decodeAdvertisement } from "../../../../gateway/src/domain/advert/index.js";
import {
  ad,
  advert,
  eddystone,
  hex,
  loadVectors,
  vectorAdvertisingData,
} from "../../domain/advert/advertBytes.js";

/** noble's own gap.js (it needs no transport), to parse bytes exactly as noble does. */
const Gap = createRequire(import.meta.url)("@abandonware/noble/lib/hci-socket/gap.js") as new (
  hci: EventEmitter,
) => EventEmitter & {
  parseServices(
    address: string,
    eir: Buffer,
    previouslyDiscovered: boolean,
    type: number,
  ): NobleParsedAdvertisement;
};

const ADV_NONCONN_IND = 0x03;

function nobleParse(data: Uint8Array): NobleParsedAdvertisement {
  return new Gap(new EventEmitter()).parseServices(
    "c3:00:00:00:00:01",
    Buffer.from(data),
    false,
    ADV_NONCONN_IND,
  );
}

describe("adStructuresFromNoble (fallback when raw reports are out of reach)", () => {
  const beacons = loadVectors()
    .map((v) => ({ id: v.id, data: vectorAdvertisingData(v) }))
    .filter((v) => decodeAdvertisement(v.data) !== null);

  it.each(beacons.map((v) => [v.id, v.data] as const))(
    "%s: noble's parse, rebuilt, decodes to the same beacon",
    (_id, data) => {
      expect(decodeAdvertisement(adStructuresFromNoble(nobleParse(data)))).toEqual(decodeAdvertisement(data));
    },
  );

  it("writes UUIDs little-endian, padding noble's short hex, and keeps name and TX power", () => {
    const data = adStructuresFromNoble({
      serviceUuids: ["fd6", "feaa", "e2c56db5dffb48d2b060d0f5a71096e0"],
      serviceData: [{ uuid: "feaa", data: Buffer.from("30e34549445f74657374", "hex") }],
      localName: "G1",
      txPowerLevel: -12,
    });
    expect(hex(data)).toBe(
      [
        ad(0x16, "aafe30e34549445f74657374"),
        ad(0x03, "d60faafe"),
        ad(0x07, "e09610a7f5d060b0d248fbdfb56dc5e2"),
        ad(0x09, "4731"),
        ad(0x0a, "f4"),
      ].join(""),
    );
  });

  it("ignores what is not noble's shape", () => {
    expect(
      adStructuresFromNoble({
        manufacturerData: "4c00",
        serviceData: [null, { uuid: 7 }],
        serviceUuids: "x",
      }),
    ).toEqual(new Uint8Array());
  });

  it("shows why raw reports are preferred: noble keeps an old manufacturer data across frames of one address", () => {
    const gap = new Gap(new EventEmitter());
    const seen: NobleParsedAdvertisement[] = [];
    gap.on("discover", (...args: unknown[]) => seen.push(args[4] as NobleParsedAdvertisement));
    const reports = gap as unknown as { onHciLeAdvertisingReport(...args: unknown[]): void };
    const ibeacon = advert(ad(0xff, "4c000215f7826da64fa24e988024bc5b71e0893e0102fffec5"));
    const eid = advert(eddystone("30e34549445f74657374"));
    reports.onHciLeAdvertisingReport(
      0,
      ADV_NONCONN_IND,
      "c3:00:00:00:00:01",
      "random",
      Buffer.from(ibeacon),
      -60,
    );
    reports.onHciLeAdvertisingReport(
      0,
      ADV_NONCONN_IND,
      "c3:00:00:00:00:01",
      "random",
      Buffer.from(eid),
      -61,
    );
    // The second frame is Eddystone-EID, yet noble's advertisement still holds the iBeacon.
    expect(decodeAdvertisement(adStructuresFromNoble(seen[1] ?? {}))).toMatchObject({ format: "ibeacon" });
    expect(decodeAdvertisement(eid)).toMatchObject({ format: "eddystone-eid" });
  });
});
