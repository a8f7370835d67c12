import { ProtocolError } from "./errors.js";
import { isValidId } from "./ids.js";

/** Every topic of the contract starts here; a breaking change to the contract bumps `v1`. */
export const TOPIC_ROOT = "arrival/v1";

/**
 * Channels of one gateway, under `arrival/v1/stores/{storeId}/gateways/{gatewayId}/`. `time` carries
 * the gateway's clock requests to the cloud, `time-reply` the cloud's answers (its clock, NTP-style).
 */
export type GatewayChannel = "events" | "status" | "telemetry" | "config" | "ack" | "labels" | "time" | "time-reply";
/** Channels of one app user, under `arrival/v1/users/{userId}/`. */
export type UserChannel = "offers" | "location";

export const GATEWAY_CHANNELS: readonly GatewayChannel[] = ["events", "status", "telemetry", "config", "ack", "labels", "time", "time-reply"];
export const USER_CHANNELS: readonly UserChannel[] = ["offers", "location"];

function checkId(what: string, value: string): string {
  if (!isValidId(value)) {
    throw new ProtocolError("INVALID_ID", `${what} ${JSON.stringify(value)} is not a valid id`);
  }
  return value;
}

/** Topic of one gateway channel. Ids are checked so that no id can smuggle `/`, `+` or `#`. */
export function gatewayTopic(storeId: string, gatewayId: string, channel: GatewayChannel): string {
  return `${TOPIC_ROOT}/stores/${checkId("storeId", storeId)}/gateways/${checkId("gatewayId", gatewayId)}/${channel}`;
}

/** Topic of one app-user channel. */
export function userTopic(userId: string, channel: UserChannel): string {
  return `${TOPIC_ROOT}/users/${checkId("userId", userId)}/${channel}`;
}

/** Channels of one store (not of a gateway), under `arrival/v1/stores/{storeId}/`. */
export type StoreChannel = "pickups";

/**
 * Topic of one store channel: published by the cloud, read by the store's own devices (its POS or
 * counter tablet, each with a store-device credential of that store), e.g. a click-and-collect
 * customer's arrival.
 */
export function storeTopic(storeId: string, channel: StoreChannel): string {
  return `${TOPIC_ROOT}/stores/${checkId("storeId", storeId)}/${channel}`;
}

/** Subscription filter matching one channel of every gateway of every store. */
export function allGatewaysFilter(channel: GatewayChannel): string {
  return `${TOPIC_ROOT}/stores/+/gateways/+/${channel}`;
}

export type ParsedTopic =
  | {
      readonly scope: "gateway";
      readonly storeId: string;
      readonly gatewayId: string;
      readonly channel: GatewayChannel;
    }
  | { readonly scope: "user"; readonly userId: string; readonly channel: UserChannel };

/** Parses a concrete (wildcard-free) topic of the contract; anything else gives `null`. */
export function parseTopic(topic: string): ParsedTopic | null {
  if (!topic.startsWith(`${TOPIC_ROOT}/`)) return null;
  const levels = topic.slice(TOPIC_ROOT.length + 1).split("/");
  if (levels.length === 5 && levels[0] === "stores" && levels[2] === "gateways") {
    const [, storeId, , gatewayId, channel] = levels as [string, string, string, string, string];
    if (!isValidId(storeId) || !isValidId(gatewayId)) return null;
    if (!(GATEWAY_CHANNELS as readonly string[]).includes(channel)) return null;
    return { scope: "gateway", storeId, gatewayId, channel: channel as GatewayChannel };
  }
  if (levels.length === 3 && levels[0] === "users") {
    const [, userId, channel] = levels as [string, string, string];
    if (!isValidId(userId)) return null;
    if (!(USER_CHANNELS as readonly string[]).includes(channel)) return null;
    return { scope: "user", userId, channel: channel as UserChannel };
  }
  return null;
}
