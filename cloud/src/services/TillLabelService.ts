import { appSubjectId, encodeMessage, gatewayTopic, MAX_LABEL_SUBJECTS, type PlaceLabel, PROTOCOL_VERSION } from "../../../protocol/index.js";
import type { Logger, MessageBus } from "./ports.js";
import type { FleetRepository, UserRepository } from "./repositories.js";

export interface TillLabelServiceOptions {
  readonly users: Pick<UserRepository, "getUser" | "listDevices">;
  readonly fleet: Pick<FleetRepository, "listFleet">;
  readonly bus: Pick<MessageBus, "publish">;
  readonly log: Logger;
}

/** A redemption as the till reported it. */
export interface TillRedemption {
  readonly storeId: string;
  /** The member whose coupon was redeemed. */
  readonly userId: string;
  /** `till`: at the store's counter; `online`: the retailer's web shop, nowhere in the store. */
  readonly channel: "till" | "online";
  /** Epoch ms. */
  readonly at: number;
}

/** Why no label was sent, or how many gateways were told. */
export type TillLabelOutcome =
  | { readonly sent: number }
  | { readonly skipped: "online" | "no-member" | "no-consent" | "no-gateways" };

/**
 * Tells a store's gateways that a member was at the till: a redemption at the counter is the one
 * moment the system knows where a shopper stood, so the gateways turn what they heard of the
 * member then into a calibration sample at the till (docs/architecture.md, "Calibration from
 * evidence"). Only for members who gave analytics consent (what they heard is a measurement of the
 * member's whereabouts), only for redemptions at the till, never online ones. The label names the
 * subject ids the gateways would hear (the app's id and each linked beacon), not the member.
 */
export class TillLabelService {
  constructor(private readonly o: TillLabelServiceOptions) {}

  async redeemed(r: TillRedemption): Promise<TillLabelOutcome> {
    if (r.channel !== "till") return { skipped: "online" };
    const user = await this.o.users.getUser(r.userId);
    if (user === null) return { skipped: "no-member" };
    if (!user.analyticsConsent) return { skipped: "no-consent" };
    const devices = await this.o.users.listDevices(r.userId);
    const subjects = [...new Set([appSubjectId(r.userId), ...devices.map((d) => d.subjectId)])].slice(0, MAX_LABEL_SUBJECTS);
    const gateways = await this.o.fleet.listFleet({ storeId: r.storeId });
    if (gateways.length === 0) return { skipped: "no-gateways" };
    const label: PlaceLabel = { v: PROTOCOL_VERSION, place: "till", at: new Date(r.at).toISOString(), subjects };
    const payload = encodeMessage(label);
    // QoS 1, not retained: a label is worth something once, to a gateway that heard the member then.
    await Promise.all(
      gateways.map((g) =>
        this.o.bus.publish(gatewayTopic(r.storeId, g.id, "labels"), payload, { qos: 1, retain: false }).catch((err: unknown) => {
          this.o.log.warn({ err, storeId: r.storeId, gatewayId: g.id }, "till label not published");
        }),
      ),
    );
    return { sent: gateways.length };
  }
}
