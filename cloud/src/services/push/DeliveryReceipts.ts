import type { Offer } from "../../domain/offers/index.js";
import type { Clock, Logger } from "../ports.js";
import type { DeliveryReceipt, DeliveryRepository, DirectoryRepository } from "../repositories.js";

/**
 * Receipts of the other channels and the MQTT channel's frequency-cap claim: an offer published over
 * MQTT counts as the member's notified offer, so no other offer is pushed within the cap.
 */
export class DeliveryReceipts {
  constructor(
    private readonly o: {
      readonly delivery: DeliveryRepository;
      readonly stores: Pick<DirectoryRepository, "getStore">;
      readonly clock: Clock;
      readonly log: Logger;
      readonly frequencyCapMinutes: number;
    },
  ) {}

  /** Offers the broker took for their members (QoS 1). Never throws: a receipt is not worth an offer. */
  async publishedOverMqtt(offers: readonly Offer[]): Promise<void> {
    await this.record(offers, "mqtt", true);
  }

  /** Offers the app fetched over HTTP. */
  async pulled(offers: readonly Offer[]): Promise<void> {
    await this.record(offers, "pull", false);
  }

  private async record(offers: readonly Offer[], channel: DeliveryReceipt["channel"], claim: boolean): Promise<void> {
    if (offers.length === 0) return;
    const now = this.o.clock.now();
    try {
      await this.o.delivery.recordReceipts(
        offers.map((o) => ({ offerId: o.offerId, storeId: o.storeId, channel })),
        now,
      );
      if (!claim) return;
      for (const offer of offers) {
        const store = await this.o.stores.getStore(offer.storeId);
        if (store === null) continue;
        const cap = (await this.o.delivery.pushPolicy(store.orgId, null))?.frequencyCapMinutes ?? this.o.frequencyCapMinutes;
        if (cap > 0) await this.o.delivery.claimNotification(offer.userId, offer.offerId, now, cap * 60_000);
      }
    } catch (err) {
      this.o.log.warn({ err, channel, count: offers.length }, "delivery receipts not recorded");
    }
  }
}
