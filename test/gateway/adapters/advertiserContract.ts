/**
 * What every Advertiser must do, whatever its radio: the HCI advertiser at the fake controller and
 * the recording advertiser of radio-less gateways both pass it.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { Advertiser } from "../../../gateway/src/services/ports.js";

export interface AdvertiserUnderTest {
  readonly advertiser: Advertiser;
  /** The advertising data on air now, or null when nothing is. */
  onAir(): Uint8Array | null;
}

const A = Uint8Array.from([0x02, 0x01, 0x06, 0x03, 0x03, 0xaa, 0xfe]);
const B = Uint8Array.from([0x02, 0x01, 0x06, 0x05, 0xff, 0x4c, 0x00, 0x02, 0x00]);
const hex = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString("hex"));

export function advertiserContract(name: string, make: () => AdvertiserUnderTest): void {
  describe(`Advertiser contract: ${name}`, () => {
    let t: AdvertiserUnderTest;
    beforeEach(() => {
      t = make();
    });

    it("puts the data on air, and the next data replaces it", async () => {
      expect(t.onAir()).toBeNull();
      await t.advertiser.advertise(A);
      expect(hex(t.onAir())).toBe(hex(A));
      await t.advertiser.advertise(B);
      expect(hex(t.onAir())).toBe(hex(B));
    });

    it("stop takes it off the air, twice is harmless, and advertising again works", async () => {
      await t.advertiser.stop();
      await t.advertiser.advertise(A);
      await t.advertiser.stop();
      expect(t.onAir()).toBeNull();
      await t.advertiser.stop();
      await t.advertiser.advertise(B);
      expect(hex(t.onAir())).toBe(hex(B));
    });

    it("refuses more than 31 octets and leaves what is on air", async () => {
      await t.advertiser.advertise(A);
      await expect(t.advertiser.advertise(new Uint8Array(32))).rejects.toThrow(/at most 31 octets/);
      expect(hex(t.onAir())).toBe(hex(A));
    });
  });
}
