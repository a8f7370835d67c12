import type { Offer } from "../domain/offers/index.js";
import type { Principal } from "./CredentialService.js";
import { done, forbidden, notFound, type Outcome, refuse } from "./Outcome.js";
import type { Clock } from "./ports.js";
import type { OfferRepository, UserRepository } from "./repositories.js";

export interface ShopperOfferServiceOptions {
  readonly offers: Pick<OfferRepository, "pendingOffers" | "acknowledge">;
  readonly users: Pick<UserRepository, "getUser">;
  readonly clock: Clock;
  /** Told of the offers the user's own app fetched (pull delivery receipts); must not reject. */
  readonly onListed?: (offers: readonly Offer[]) => Promise<void>;
}

/**
 * The offers a shopper holds, as the app reads and acknowledges them. An app key acts only for its
 * own user; an admin key may read the offers of any user of its organisation (another
 * organisation's user is "not found").
 */
export class ShopperOfferService {
  constructor(private readonly o: ShopperOfferServiceOptions) {}

  /** Offers the user can still use (catch-up for an app that was offline). */
  async pending(principal: Principal, userId: string): Promise<Outcome<Offer[]>> {
    const allowed = await this.mayActFor(principal, userId);
    if (!allowed.ok) return allowed;
    const offers = await this.o.offers.pendingOffers(userId, this.o.clock.now());
    // Only the app's own fetch delivers: an admin looking at a user's offers delivers nothing.
    if (principal.role === "app") await this.o.onListed?.(offers);
    return done(offers);
  }

  /** The app's delivery or view acknowledgement; forward-only, refused once the code is spent. */
  async acknowledge(
    principal: Principal,
    userId: string,
    offerId: string,
    kind: "delivered" | "viewed",
  ): Promise<Outcome<Offer>> {
    const allowed = await this.mayActFor(principal, userId);
    if (!allowed.ok) return allowed;
    const result = await this.o.offers.acknowledge(
      offerId,
      userId,
      kind === "delivered" ? "deliver" : "view",
      this.o.clock.now(),
    );
    if (!result) return notFound("no such offer for this user");
    if (!result.ok) return refuse(result.reason === "expired" ? "CODE_EXPIRED" : "CODE_ALREADY_REDEEMED", result.text);
    return done(result.offer);
  }

  private async mayActFor(principal: Principal, userId: string): Promise<Outcome<void>> {
    if (principal.role === "app" && principal.userId !== userId)
      return forbidden("an app key may only act for its own user");
    if (principal.role === "admin") {
      const user = await this.o.users.getUser(userId);
      if (!user || user.orgId !== principal.orgId) return notFound(`no user ${userId} in this organisation`);
    }
    return done(undefined);
  }
}
