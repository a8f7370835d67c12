/**
 * How the OpenAPI document groups and names the operations: one tag per area of the product, given
 * to each route by its path here (a route may set `schema.tags` itself), and an operationId derived
 * from method and path (or `schema.operationId`). Kept in one table so a client generator's modules
 * and method names follow the product, and a new route is grouped without editing its file.
 */

/** The tags, in the order the document lists them, each with the description a reader sees. */
export const API_TAGS = [
  { name: "rules", description: "Campaign rules: create, edit, version, move through their lifecycle, dry-run over past data." },
  { name: "decisions", description: "Why a shopper did or did not get an offer: every decision of the rules engine with its reason." },
  { name: "offers", description: "A shopper's offers as the app sees them, and the app's delivery and view acknowledgements." },
  { name: "coupons", description: "Coupon batches, claims and segment sends, a member's wallet, gifts, pick-up codes and coupon analytics." },
  { name: "redemptions", description: "Redeeming an offer's code at the till, exactly once." },
  { name: "push", description: "Reaching phones: the Web Push key, devices' push registrations, quiet hours and frequency caps, dead letters, and the store beacon phones hear." },
  { name: "webhooks", description: "Outgoing webhooks: endpoints with event filters, signing secrets and rotation, deliveries, dead letters and replay." },
  { name: "members", description: "Loyalty: the programme, purchases and refunds, points, tiers, member codes, CRM import and export." },
  { name: "users", description: "Shoppers' profiles, beacons and app identity keys, and the phone's geofence reports." },
  { name: "privacy", description: "Consent and erasure of a shopper's personal data." },
  { name: "stores", description: "Stores and their zones (geofences)." },
  { name: "fleet", description: "Gateways: registration, health, telemetry, configuration, releases and rollouts." },
  { name: "analytics", description: "The funnel, daily trends, the live view of the stores, presence history and daily visit counts." },
  { name: "credentials", description: "API keys, MQTT credentials of gateways, store devices (pick-up counters) and apps, and who the calling key is." },
  { name: "operations", description: "Running the cloud: liveness, readiness, metrics, and the operator's organisations." },
] as const;

export type ApiTag = (typeof API_TAGS)[number]["name"];

/** First match wins; `METHOD ` prefixes a pattern that applies to one method only. */
const TAG_OF_PATH: readonly (readonly [RegExp, ApiTag])[] = [
  [/^(GET|HEAD) \/(healthz|readyz|metrics)$/, "operations"],
  [/^\w+ \/v1\/operator\//, "operations"],
  [/^\w+ \/v1\/(api-keys|session)(\/|$)/, "credentials"],
  [/^\w+ .*\/credentials$/, "credentials"],
  [/^\w+ \/v1\/stores\/:storeId\/devices$/, "credentials"],
  [/^\w+ .*\/decisions$/, "decisions"],
  [/^\w+ \/v1\/rules(\/|$)/, "rules"],
  [/^\w+ \/v1\/users\/:userId\/offers(\/|$)/, "offers"],
  [/^\w+ \/v1\/(coupon-batches|coupon-analytics|gifts|pickups)(\/|$)/, "coupons"],
  [/^\w+ \/v1\/users\/:userId\/coupons(\/|$)/, "coupons"],
  [/^\w+ \/v1\/redemptions(\/|$)/, "redemptions"],
  [/^\w+ \/v1\/push\//, "push"],
  [/^\w+ \/v1\/store-beacon$/, "push"],
  [/^\w+ \/v1\/users\/:userId\/store-beacon-sightings$/, "push"],
  [/^\w+ \/v1\/users\/:userId\/push-registrations(\/|$)/, "push"],
  [/^\w+ \/v1\/stores\/:storeId\/push-policy$/, "push"],
  [/^\w+ \/v1\/webhooks\//, "webhooks"],
  [/^\w+ \/v1\/(loyalty|purchases|members)(\/|$)/, "members"],
  [/^\w+ \/v1\/users\/:userId\/(points|member-code|tier-changes)(\/|$)/, "members"],
  [/^\w+ \/v1\/(analytics|live)(\/|$)/, "analytics"],
  [/^\w+ \/v1\/stores\/:storeId\/(events|visits|visit-counts)$/, "analytics"],
  [/^\w+ \/v1\/(gateways|releases)(\/|$)/, "fleet"],
  [/^\w+ \/v1\/stores\/:storeId\/(gateways|config|rollout)(\/|$)/, "fleet"],
  [/^\w+ \/v1\/stores(\/|$)/, "stores"],
  [/^DELETE \/v1\/users\/:userId$/, "privacy"],
  [/^\w+ \/v1\/users\/:userId\/consent$/, "privacy"],
  [/^\w+ \/v1\/users(\/|$)/, "users"],
];

/** The tag of a route by its method and fastify path pattern (`/v1/rules/:ruleId`); null if none fits. */
export function tagOf(method: string, url: string): ApiTag | null {
  const key = `${method} ${url}`;
  return TAG_OF_PATH.find(([pattern]) => pattern.test(key))?.[1] ?? null;
}

const pascal = (text: string) =>
  text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");

/**
 * A stable operationId from method and path: the method, then the path's fixed segments after the
 * version, then `By<Param>` when the path ends in a parameter. `GET /v1/rules/:ruleId` is
 * `getRulesByRuleId`, `POST /v1/rules/:ruleId/transitions` is `postRulesTransitions`.
 */
export function operationIdOf(method: string, url: string): string {
  const segments = url.split("/").filter((s) => s !== "" && s !== "v1");
  const last = segments.at(-1);
  const fixed = segments.filter((s) => !s.startsWith(":")).map(pascal).join("");
  const byParam = last?.startsWith(":") ? `By${pascal(last.slice(1))}` : "";
  return `${method.toLowerCase()}${fixed}${byParam}`;
}
