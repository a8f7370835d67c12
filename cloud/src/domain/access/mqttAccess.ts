import { TOPIC_ROOT } from "../../../../protocol/index.js";

/** Who an MQTT connection is, as established by the credentials it presented. */
export type MqttIdentity =
  | { readonly role: "gateway"; readonly storeId: string; readonly gatewayId: string }
  | { readonly role: "app"; readonly userId: string }
  | { readonly role: "service"; readonly name: string };

function gatewayPrefix(identity: { storeId: string; gatewayId: string }): string {
  return `${TOPIC_ROOT}/stores/${identity.storeId}/gateways/${identity.gatewayId}/`;
}

const GATEWAY_PUBLISH = new Set(["events", "status", "telemetry"]);
const GATEWAY_SUBSCRIBE = new Set(["config", "ack"]);

/** True when the topic has no wildcard and no empty level; publishes must name one topic [MQTT-3.3.2-2]. */
function isConcrete(topic: string): boolean {
  return topic.length > 0 && !topic.includes("+") && !topic.includes("#") && !topic.includes("\u0000");
}

/**
 * Least privilege per identity. A gateway publishes only its own events, status and telemetry; an
 * app user only its own location reports (`users/{userId}/location`); the cloud's service identity
 * may publish anywhere under the contract root. `$SYS` is never reachable.
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
    case "service":
      return topic.startsWith(`${TOPIC_ROOT}/`);
  }
}

/**
 * Subscriptions are checked as filters: a wildcard is allowed only where every topic it can match
 * is allowed. Gateways subscribe to exactly their config and ack topics; an app user to its own
 * `users/{userId}/` subtree; the service identity to anything under the contract root.
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
    case "service":
      return filter.startsWith(`${TOPIC_ROOT}/`);
  }
}
