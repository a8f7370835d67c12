import { type StoreChannel, TOPIC_ROOT } from "../../../../protocol/index.js";

/** Who an MQTT connection is, as established by the credentials it presented. */
export type MqttIdentity =
  | { readonly role: "gateway"; readonly storeId: string; readonly gatewayId: string }
  | { readonly role: "app"; readonly userId: string }
  /**
   * A device of one store that is not a gateway: the pick-up counter's tablet or the POS terminal,
   * told of the store's click-and-collect arrivals. `deviceId` names the device within its store.
   */
  | { readonly role: "store"; readonly storeId: string; readonly deviceId: string }
  | { readonly role: "service"; readonly name: string };

function gatewayPrefix(identity: { storeId: string; gatewayId: string }): string {
  return `${TOPIC_ROOT}/stores/${identity.storeId}/gateways/${identity.gatewayId}/`;
}

/** `time`: the gateway's requests for the cloud's clock; only its own, so no gateway asks in another's name. */
const GATEWAY_PUBLISH = new Set(["events", "status", "telemetry", "time"]);
/**
 * `labels`: where a member was (the till) when, for the gateway's calibration; `time-reply`: the
 * cloud's clock, which the gateway then stamps by. Both sent by the cloud only: a gateway that could
 * publish either could calibrate, or set the clock of, another.
 */
const GATEWAY_SUBSCRIBE = new Set(["config", "ack", "labels", "time-reply"]);
/**
 * The store channels a store device reads: pick-up arrivals only. Each further channel is added
 * here by name, so a device never gains one by accident (no `stores/{storeId}/#`, which would also
 * match the store's gateways' topics).
 */
const STORE_DEVICE_SUBSCRIBE: ReadonlySet<string> = new Set<StoreChannel>(["pickups"]);

/** True when the topic has no wildcard and no empty level; publishes must name one topic [MQTT-3.3.2-2]. */
function isConcrete(topic: string): boolean {
  return topic.length > 0 && !topic.includes("+") && !topic.includes("#") && !topic.includes("\u0000");
}

/**
 * Least privilege per identity. A gateway publishes only its own events, status, telemetry and clock
 * requests; an
 * app user only its own location reports (`users/{userId}/location`); a store device nothing (it
 * only listens; the counter hands an order over through the HTTP API with its till key); the
 * cloud's service identity may publish anywhere under the contract root. `$SYS` is never reachable.
 */
export function canPublish(identity: MqttIdentity, topic: string): boolean {
  if (!isConcrete(topic) || topic.startsWith("$")) return false;
  switch (identity.role) {
    case "gateway": {
      const prefix = gatewayPrefix(identity);
      return topic.startsWith(prefix) && GATEWAY_PUBLISH.has(topic.slice(prefix.length));
    }
    case "app":
      return topic === `${TOPIC_ROOT}/users/${identity.userId}/location`;
    case "store":
      return false;
    case "service":
      return topic.startsWith(`${TOPIC_ROOT}/`);
  }
}

/**
 * Subscriptions are checked as filters: a wildcard is allowed only where every topic it can match
 * is allowed. Gateways subscribe to exactly their config, ack, labels and time-reply topics; an app user to its own
 * `users/{userId}/` subtree; a store device to exactly its own store's pick-up topic
 * (`stores/{storeId}/pickups`, no wildcard: every store's arrivals name other stores' orders);
 * the service identity to anything under the contract root.
 */
export function canSubscribe(identity: MqttIdentity, filter: string): boolean {
  if (filter.length === 0 || filter.startsWith("$") || filter.includes("\u0000")) return false;
  switch (identity.role) {
    case "gateway": {
      const prefix = gatewayPrefix(identity);
      return filter.startsWith(prefix) && GATEWAY_SUBSCRIBE.has(filter.slice(prefix.length));
    }
    case "app": {
      const prefix = `${TOPIC_ROOT}/users/${identity.userId}/`;
      if (!filter.startsWith(prefix)) return false;
      const rest = filter.slice(prefix.length);
      // `#` or a concrete channel of the user's own subtree; no `+` that could escape it.
      return rest === "#" || (rest.length > 0 && isConcrete(rest));
    }
    case "store": {
      const prefix = `${TOPIC_ROOT}/stores/${identity.storeId}/`;
      return filter.startsWith(prefix) && STORE_DEVICE_SUBSCRIBE.has(filter.slice(prefix.length));
    }
    case "service":
      return filter.startsWith(`${TOPIC_ROOT}/`);
  }
}
