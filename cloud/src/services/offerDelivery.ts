import { encodeMessage, type OfferMessage, userTopic } from "../../../protocol/index.js";
import { type Offer, toOfferMessage } from "../domain/offers/index.js";
import type { MessageBus } from "./ports.js";

/**
 * Hands an offer (or its reminder) to the broker on the user's offers channel at QoS 1. The app
 * deduplicates by offer id and kind, so a repeat after a crash is harmless; a loss is not.
 */
export async function publishOffer(bus: MessageBus, offer: Offer, kind: OfferMessage["kind"]): Promise<void> {
  await bus.publish(userTopic(offer.userId, "offers"), encodeMessage(toOfferMessage(offer, kind)), {
    qos: 1,
    retain: false,
  });
}
