import { describe, expect, it } from "vitest";
import { formatCaptureLine, parseCaptureLine } from "../../../../gateway/src/adapters/replay/captureLine.js";
import type { Advert } from "../../../../gateway/src/services/ports.js";

const AD = "0201061aff4c000215f7826da64fa24e988024bc5b71e0893e0102fffec5";

describe("parseCaptureLine", () => {
  it("reads a record into an advert, address lowercased, gw as gatewayId", () => {
    const advert = parseCaptureLine(
      `{"t":1772442000123,"addr":"AA:BB:cc:dd:ee:ff","rssi":-71,"ad":"${AD}","gw":"gw-1"}`,
    );
    expect(advert).toEqual({
      t: 1772442000123,
      addr: "aa:bb:cc:dd:ee:ff",
      rssi: -71,
      data: new Uint8Array(Buffer.from(AD, "hex")),
      gatewayId: "gw-1",
    });
  });

  it("leaves gatewayId out without gw and ignores unknown fields", () => {
    const advert = parseCaptureLine(
      `{"t":1,"addr":"aa:bb:cc:dd:ee:ff","rssi":-50,"ad":"020106","channel":37}`,
    );
    expect(advert).not.toHaveProperty("gatewayId");
    expect(advert).toMatchObject({ t: 1, rssi: -50 });
  });

  it.each([
    ["{", "not JSON"],
    ["[1,2]", "not a JSON object"],
    ["null", "not a JSON object"],
    [`{"addr":"aa:bb:cc:dd:ee:ff","rssi":-1,"ad":"00"}`, "t must be a finite number (epoch ms)"],
    [`{"t":"1","addr":"aa:bb:cc:dd:ee:ff","rssi":-1,"ad":"00"}`, "t must be a finite number (epoch ms)"],
    [`{"t":1,"addr":"aabbccddeeff","rssi":-1,"ad":"00"}`, "addr must be aa:bb:cc:dd:ee:ff"],
    [`{"t":1,"addr":"aa:bb:cc:dd:ee:ff","ad":"00"}`, "rssi must be a finite number (dBm)"],
    [`{"t":1,"addr":"aa:bb:cc:dd:ee:ff","rssi":-1,"ad":"0"}`, "ad must be an even number of hex digits"],
    [`{"t":1,"addr":"aa:bb:cc:dd:ee:ff","rssi":-1,"ad":"zz"}`, "ad must be an even number of hex digits"],
    [`{"t":1,"addr":"aa:bb:cc:dd:ee:ff","rssi":-1,"ad":""}`, "ad is empty"],
    [
      `{"t":1,"addr":"aa:bb:cc:dd:ee:ff","rssi":-1,"ad":"${"00".repeat(1651)}"}`,
      "ad is longer than 1650 bytes",
    ],
    [
      `{"t":1,"addr":"aa:bb:cc:dd:ee:ff","rssi":-1,"ad":"00","gw":"a/b"}`,
      "gw must be an id ([A-Za-z0-9][A-Za-z0-9_-]{0,63})",
    ],
    [
      `{"t":1,"addr":"aa:bb:cc:dd:ee:ff","rssi":-1,"ad":"00","gw":7}`,
      "gw must be an id ([A-Za-z0-9][A-Za-z0-9_-]{0,63})",
    ],
  ])("%s -> %s", (line, error) => {
    expect(parseCaptureLine(line)).toBe(error);
  });
});

describe("formatCaptureLine", () => {
  it("is the inverse of parseCaptureLine", () => {
    const advert: Advert = {
      t: 5,
      addr: "02:00:00:00:00:01",
      rssi: -80,
      data: new Uint8Array([2, 1, 6]),
      gatewayId: "gw-2",
    };
    const line = formatCaptureLine(advert);
    expect(line).toBe(`{"t":5,"addr":"02:00:00:00:00:01","rssi":-80,"ad":"020106","gw":"gw-2"}`);
    expect(parseCaptureLine(line)).toEqual(advert);
  });

  it("writes no gw for a local advert", () => {
    expect(
      formatCaptureLine({ t: 1, addr: "02:00:00:00:00:01", rssi: -1, data: new Uint8Array([0xff]) }),
    ).toBe(`{"t":1,"addr":"02:00:00:00:00:01","rssi":-1,"ad":"ff"}`);
  });
});
