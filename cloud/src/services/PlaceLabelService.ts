import {
  appSubjectId,
  encodeMessage,
  gatewayTopic,
  type LabelPlace,
  MAX_LABEL_SUBJECTS,
  type PlaceLabel,
  PROTOCOL_VERSION,
} from "../../../protocol/index.js";
import type { Logger, MessageBus } from "./ports.js";
import type { FleetGatewayRecord, FleetRepository, UserRepository } from "./repositories.js";

export interface PlaceLabelServiceOptions {
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

/** A member's phone heard the store's own beacon, resolved to the store within the beacon's slot. */
export interface InsideSighting {
  readonly storeId: string;
  readonly userId: string;
  /** When the phone heard it, epoch ms (the report's time, within the store beacon's age limit). */
  readonly at: number;
}

/**
 * Why no label was sent, or how many gateways were told. `no-gateways`: no gateway of the store
 * learns from labels of that place (as its last status reported).
 */
export type PlaceLabelOutcome =
  | { readonly sent: number }
  | { readonly skipped: "online" | "no-member" | "no-consent" | "no-gateways" };

/**
 * Whether a gateway learns from labels of `place`, as its last online status reported: a gateway
 * reports `learned` only while it learns from the till, `learnedZones` only while it learns from
 * inside labels; other gateways do not subscribe to labels at all.
 */
function learnsFrom(gateway: FleetGatewayRecord, place: LabelPlace): boolean {
  return place === "till" ? gateway.calibration?.learned !== undefined : gateway.calibration?.learnedZones !== undefined;
}

/**
 * Tells a store's gateways where a member was, so each turns what it heard of the member then into
 * a calibration sample (docs/architecture.md, "Calibration from evidence"):
 *
 * - `till`: a redemption at the counter is the one moment the system knows where a shopper stood
 *   (never an online order);
 * - `inside`: the member's phone heard the store's own beacon, which names the store only within
 *   its slot, so the member was in the store then, though not where in it.
 *
 * Only for members who gave analytics consent (what the gateways heard is a measurement of the
 * member's whereabouts). The label names the subject ids the gateways would hear (the app's id and
 * each linked beacon), not the member. Only gateways that learn from the place are told, and they
 * are read first: most stores learn nothing, and a till redemption there costs one read, not three.
 */
export class PlaceLabelService {
  constructor(private readonly o: PlaceLabelServiceOptions) {}

  async redeemed(r: TillRedemption): Promise<PlaceLabelOutcome> {
    if (r.channel !== "till") return { skipped: "online" };
    return this.label("till", r.storeId, r.userId, r.at);
  }

  async sightedInside(s: InsideSighting): Promise<PlaceLabelOutcome> {
    return this.label("inside", s.storeId, s.userId, s.at);
  }

  private async label(place: LabelPlace, storeId: string, userId: string, at: number): Promise<PlaceLabelOutcome> {
    const gateways = (await this.o.fleet.listFleet({ storeId })).filter((g) => learnsFrom(g, place));
    if (gateways.length === 0) return { skipped: "no-gateways" };
    const user = await this.o.users.getUser(userId);
    if (user === null) return { skipped: "no-member" };
    if (!user.analyticsConsent) return { skipped: "no-consent" };
    const devices = await this.o.users.listDevices(userId);
    const subjects = [...new Set([appSubjectId(userId), ...devices.map((d) => d.subjectId)])].slice(0, MAX_LABEL_SUBJECTS);
    const label: PlaceLabel = { v: PROTOCOL_VERSION, place, at: new Date(at).toISOString(), subjects };
    const payload = encodeMessage(label);
    // QoS 1, not retained: a label is worth something once, to a gateway that heard the member then.
    await Promise.all(
      gateways.map((g) =>
        this.o.bus.publish(gatewayTopic(storeId, g.id, "labels"), payload, { qos: 1, retain: false }).catch((err: unknown) => {
          this.o.log.warn({ err, storeId, gatewayId: g.id, place }, "place label not published");
        }),
      ),
    );
    return { sent: gateways.length };
  }
}
