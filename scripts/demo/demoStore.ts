import { seededRandom } from "../../gateway/src/adapters/sim/random.js";
import {
  iBeaconAdvert,
  type Point,
  passByPath,
  visitPath,
  repeatingVisits,
  type SimAdvertiser,
  type SimRadio,
} from "../../gateway/src/adapters/sim/SimWorld.js";
import type { BatchSpec } from "../../cloud/src/domain/coupons/index.js";
import type { LoyaltyProgram } from "../../cloud/src/domain/loyalty/index.js";
import type { GatewayRemoteConfig, Zone } from "../../protocol/index.js";

/**
 * The demo store: a small cosmetics shop with a door, an entrance gateway and a gateway at the
 * lipstick counter, six app users whose phones advertise the retailer app's iBeacon, a staff badge,
 * a shelf beacon, and people walking past the window.
 */
export const DEMO_ORG = { id: "demo-retail", name: "Demo Retail", maxOffersPerUserPerDay: 3 } as const;
export const DEMO_STORE = {
  id: "demo-store",
  orgId: DEMO_ORG.id,
  name: "Causeway Bay flagship",
  timezone: "Asia/Hong_Kong",
  lat: 22.2803,
  lon: 114.1838,
  tags: ["flagship"],
} as const;

/** The retailer app advertises this iBeacon UUID; major 1, minor = the user's number. */
export const APP_BEACON_UUID = "a7ae2eb7-1f00-4168-b99b-a749bac1ca64";

const DOOR: Point = { x: 0, y: 0 };
const PAVEMENT_Y = -4;

export const DEMO_GATEWAYS = [
  { id: "gw-entrance", name: "Entrance", position: { x: 1.5, y: 1 } },
  { id: "gw-cosmetics", name: "Lipstick counter", position: { x: 10, y: 6 } },
] as const;

export const DEMO_ZONES: readonly (Zone & { tags: readonly string[] })[] = [
  {
    id: "entrance",
    name: "Entrance",
    shape: "gateway-radius",
    gatewayId: "gw-entrance",
    radiusM: 3,
    tags: ["entrance"],
  },
  {
    id: "cosmetics",
    name: "Lipstick counter",
    shape: "gateway-radius",
    gatewayId: "gw-cosmetics",
    radiusM: 2.5,
    tags: ["beauty"],
  },
];

export interface DemoUser {
  readonly id: string;
  readonly displayName: string;
  readonly minor: number;
  readonly segments: readonly string[];
  readonly loyaltyTier: string;
  readonly marketingConsent: boolean;
}

export const DEMO_USERS: readonly DemoUser[] = [
  {
    id: "u-ada",
    displayName: "Ada",
    minor: 1,
    segments: ["beauty"],
    loyaltyTier: "gold",
    marketingConsent: true,
  },
  {
    id: "u-ben",
    displayName: "Ben",
    minor: 2,
    segments: ["coffee"],
    loyaltyTier: "silver",
    marketingConsent: true,
  },
  {
    id: "u-chloe",
    displayName: "Chloe",
    minor: 3,
    segments: ["beauty", "students"],
    loyaltyTier: "member",
    marketingConsent: true,
  },
  { id: "u-dev", displayName: "Dev", minor: 4, segments: [], loyaltyTier: "member", marketingConsent: true },
  {
    id: "u-eun",
    displayName: "Eun",
    minor: 5,
    segments: ["beauty"],
    loyaltyTier: "gold",
    marketingConsent: false,
  },
  {
    id: "u-fay",
    displayName: "Fay",
    minor: 6,
    segments: ["beauty"],
    loyaltyTier: "silver",
    marketingConsent: true,
  },
];

export function subjectIdOf(user: DemoUser): string {
  return `ibeacon:${APP_BEACON_UUID}:1:${user.minor}`;
}

/**
 * The demo's rules, as a cosmetics flagship would run them (every time is the store's own, Hong Kong):
 *
 * - a first-visit welcome at the entrance, with a 20 % holdout so the funnel can compare shoppers
 *   who got it with shoppers who did not (of the six demo users, Fay is held out and gets the
 *   flash offer instead);
 * - the afternoon offer: beauty-segment members who linger at the lipstick counter between 14:00
 *   and 18:00 get 25 % off;
 * - the same counter offer at 15 % for the rest of the day (windows 00:00-14:00 and 18:00-24:00),
 *   so `npm start` shows a counter offer whatever the hour; drop it to see the afternoon rule alone;
 * - a flash offer capped at 20 coupons in total and one per shopper a day.
 */
export const DEMO_RULES = [
  {
    id: "welcome",
    spec: {
      name: "First-visit welcome",
      trigger: { type: "first-visit" },
      scope: { storeIds: [DEMO_STORE.id], zoneIds: ["entrance"] },
      offer: {
        title: "Welcome to Causeway Bay!",
        text: "10% off anything today, on your first visit.",
        discount: { kind: "percent", percent: 10 },
        validityS: 3600,
      },
      limits: { maxPerUser: 1 },
      priority: 10,
      holdoutPercent: 20,
    },
  },
  {
    id: "lipstick-afternoon",
    spec: {
      name: "Lipstick counter, afternoon",
      trigger: { type: "dwell", minDwellS: 20 },
      scope: { storeIds: [DEMO_STORE.id], zoneIds: ["cosmetics"] },
      conditions: {
        segments: ["beauty"],
        schedule: { windows: [{ start: "14:00", end: "18:00" }] },
      },
      offer: {
        title: "Afternoon treat: 25% off lipsticks",
        text: "For the next 30 minutes, at the lipstick counter.",
        discount: { kind: "percent", percent: 25 },
        validityS: 1800,
      },
      limits: { cooldownS: 3600, maxPerUserPerDay: 1 },
      priority: 20,
    },
  },
  {
    id: "lipstick-counter",
    spec: {
      name: "Lipstick counter, rest of the day",
      trigger: { type: "dwell", minDwellS: 20 },
      scope: { storeIds: [DEMO_STORE.id], zoneIds: ["cosmetics"] },
      conditions: {
        segments: ["beauty"],
        schedule: {
          windows: [
            { start: "00:00", end: "14:00" },
            { start: "18:00", end: "00:00" },
          ],
        },
      },
      offer: {
        title: "15% off lipsticks",
        text: "For the next 30 minutes, at the lipstick counter.",
        discount: { kind: "percent", percent: 15 },
        validityS: 1800,
      },
      limits: { cooldownS: 3600, maxPerUserPerDay: 1 },
      priority: 19,
    },
  },
  {
    id: "flash-coffee",
    spec: {
      name: "Flash: free coffee for the first 20",
      trigger: { type: "enter" },
      scope: { storeIds: [DEMO_STORE.id], zoneIds: ["entrance"] },
      offer: {
        title: "Free coffee",
        text: "Show this at the café corner within 15 minutes.",
        discount: { kind: "free-item", item: "Regular coffee" },
        validityS: 900,
      },
      limits: { budget: 20, maxPerUserPerDay: 1 },
      priority: 5,
    },
  },
] as const;

/**
 * The demo's loyalty programme, one membership for the app and the till: a point per HK$10 spent,
 * 10 points a store visit (two visits a day at most: a shopper who keeps walking in and out does
 * not farm points), and Wednesdays as member days with double points, on Hong Kong's calendar.
 * Written once; after that it is the marketer's, like the rules.
 */
export const DEMO_LOYALTY_PROGRAM: LoyaltyProgram = {
  currency: "HKD",
  pointsValidityDays: 365,
  transfersAllowed: false,
  earnRules: [{ id: "every-hkd10", points: 1, perAmountMinor: 1_000 }],
  visit: { points: 10, maxPerDay: 2 },
  memberDays: [{ id: "member-wednesday", when: { kind: "weekday", weekday: "wed" }, multiplier: 2 }],
  tiers: [],
  tierWindowDays: 365,
};

/** What the demo store sells at its till (prices in HK cents). */
export const DEMO_CATALOGUE = {
  "LIP-ROUGE-01": { name: "Velvet rouge lipstick", category: "lipstick", unitPriceMinor: 22_000 },
  "LIP-NUDE-02": { name: "Nude satin lipstick", category: "lipstick", unitPriceMinor: 18_000 },
  "LIP-GLOSS-03": { name: "Lip gloss", category: "lipstick", unitPriceMinor: 16_000 },
  "SKN-SERUM-01": { name: "Hydrating serum", category: "skincare", unitPriceMinor: 42_000 },
  "SKN-MIST-02": { name: "Face mist", category: "skincare", unitPriceMinor: 12_000 },
  "CAFE-REG": { name: "Regular coffee", category: "coffee", unitPriceMinor: 3_800 },
  "CAFE-LATTE": { name: "Latte", category: "coffee", unitPriceMinor: 4_200 },
  "BAK-CROISSANT": { name: "Croissant", category: "bakery", unitPriceMinor: 2_600 },
} as const;
export type DemoSku = keyof typeof DEMO_CATALOGUE;

/**
 * The demo's coupon batches, created once by the marketer (then theirs, like the rules):
 *
 * - a spring lipstick coupon claimed online from links and QR codes carrying a channel tag
 *   (an Instagram post, a mall poster, the LINE account), one per member: HK$50 off when the
 *   lipsticks in the basket come to HK$300;
 * - a coffee to give to a friend: claimed in the app, passed on once, a free regular coffee.
 */
export const DEMO_BATCHES = {
  lipstick: {
    batchId: "spring-lipstick",
    spec: {
      title: "HK$50 off lipsticks",
      text: "Spend HK$300 on lipsticks at Causeway Bay and save HK$50. Valid 3 days from claim.",
      discount: { kind: "amount", amountMinor: 5_000, currency: "HKD", minSpendMinor: 30_000, eligible: { categories: ["lipstick"] } },
      validity: { kind: "from-claim", hours: 72 },
      timezone: DEMO_STORE.timezone,
      totalStock: 5_000,
      dailyStock: 1_000,
      perMemberLimit: 1,
      storeIds: [DEMO_STORE.id],
      channels: ["online"],
    },
  },
  friendCoffee: {
    batchId: "coffee-for-a-friend",
    spec: {
      title: "A coffee for a friend",
      text: "Give it to a friend: one regular coffee at the café corner, on us. Valid 7 days from claim.",
      discount: { kind: "free-item", item: "Regular coffee", sku: "CAFE-REG" },
      validity: { kind: "from-claim", hours: 168 },
      timezone: DEMO_STORE.timezone,
      totalStock: 5_000,
      perMemberLimit: 1,
      storeIds: [DEMO_STORE.id],
      channels: ["online"],
      giftable: true,
      maxGiftPasses: 1,
      giftTimeoutHours: 24,
    },
  },
} as const satisfies Record<string, { batchId: string; spec: BatchSpec }>;

/** The links and QR codes the online coupons are claimed from, by their channel tag. */
export const DEMO_CHANNEL_TAGS = {
  "ig-spring-post": "the Instagram spring post",
  "mall-poster-l2": "the QR poster on the mall's level 2",
  "line-official": "the LINE official account",
} as const;
export type DemoChannelTag = keyof typeof DEMO_CHANNEL_TAGS;

/** Presence tuning for the demo: dwell marks early enough to see the dwell rule within a minute. */
export const DEMO_PRESENCE = { dwellMarksMs: [20_000, 60_000, 300_000] };

export function demoRemoteConfig(revision: number): GatewayRemoteConfig {
  return {
    v: 1,
    revision,
    zones: DEMO_ZONES.map(({ tags: _tags, ...zone }) => zone),
    presence: DEMO_PRESENCE,
  };
}

/** How long the people passing the window are scripted up front, ms (400 of them, one every 9–13 s). */
export const DEMO_SCRIPTED_PASSERS_MS = 3_600_000;

export interface DemoScenarioOptions {
  readonly seed: number;
  readonly startAt: number;
  /** Delay before the first shopper walks in, ms. */
  readonly firstArrivalMs: number;
}

/** Everything the radios of the demo store can hear. */
export function demoAdvertisers(options: DemoScenarioOptions): SimAdvertiser[] {
  const random = seededRandom(options.seed);
  const counter = { x: 10, y: 5.2 };
  const entrance = { x: 2, y: 1.5 };
  const aisle = { x: 6, y: 9 };
  const advertisers: SimAdvertiser[] = DEMO_USERS.map((user, i) => ({
    addr: `02:00:00:00:00:${(i + 1).toString(16).padStart(2, "0")}`,
    data: iBeaconAdvert(APP_BEACON_UUID, 1, user.minor, -59),
    // Phones differ by a few dB in transmit power; iOS advertises about every 100 ms in the foreground.
    powerAt1mDbm: -59 + Math.round(-3 + random() * 6),
    intervalMs: i % 2 === 0 ? 100 : 250,
    // Each regular has a schedule of their own, drawn from the seed alone, and comes first for what
    // their segment is about: the same walk on a quiet or a busy machine, whatever else is drawn.
    path: repeatingVisits({
      random: seededRandom(options.seed * 1_000 + i + 1),
      firstArriveAt: options.startAt + options.firstArrivalMs + i * 6_000,
      firstSpot: user.segments.includes("beauty") ? counter : entrance,
      door: DOOR,
      pavementY: PAVEMENT_Y,
      spots: user.segments.includes("beauty") ? [counter, counter, aisle] : [entrance, aisle],
      stayMs: [35_000, 90_000],
      awayMs: [60_000, 180_000],
    }),
  }));
  // A staff badge that stays in the back room and a shelf beacon that never moves.
  advertisers.push({
    addr: "02:00:00:00:01:01",
    data: iBeaconAdvert("f7826da6-4fa2-4e98-8024-bc5b71e0893e", 100, 1, -59),
    powerAt1mDbm: -60,
    intervalMs: 1000,
    path: () => ({ x: 12, y: 12 }),
  });
  // People walking past the window: a new one every few seconds, heard for ten seconds or so (the
  // first hour; DemoFootfall adds the rest as the demo runs on).
  for (let k = 0; k < DEMO_SCRIPTED_PASSERS_MS / 9_000; k++) {
    const at = options.startAt + k * 9_000 + Math.floor(random() * 4_000);
    const leftToRight = random() < 0.5;
    advertisers.push({
      addr: `02:00:00:00:02:${(k % 256).toString(16).padStart(2, "0")}`,
      data: iBeaconAdvert("0b5e2fd1-4cd6-4d22-8b0f-9bb3a1fa4e30", 7, k, -59),
      powerAt1mDbm: -59,
      intervalMs: 300,
      path: passByPath({
        at,
        from: { x: leftToRight ? -15 : 15, y: PAVEMENT_Y - random() },
        to: { x: leftToRight ? 15 : -15, y: PAVEMENT_Y - random() },
        speedMps: 1.3,
      }),
    });
  }
  return advertisers;
}

export const DEMO_RADIOS: readonly SimRadio[] = DEMO_GATEWAYS.map((g) => ({
  gatewayId: g.id,
  position: g.position,
}));

/**
 * The demo's newcomers: after the six regulars, a new member signs up in the app and walks in
 * every `DEMO_NEWCOMER_EVERY_MS`, so first-visit welcomes and counter offers keep flowing however
 * long the demo runs (the regulars spend their caps for the day within minutes). Numbered from 1,
 * and the numbering carries on across restarts, so a same-day restart brings new people too.
 */
export const DEMO_NEWCOMER_EVERY_MS = 40_000;

/** iBeacon major of newcomers' phones (the regulars use major 1); minor = number mod 65536. */
const NEWCOMER_MAJOR = 2;
const NEWCOMER_NAMES = ["Gia", "Hana", "Ivan", "Jun", "Kai", "Lena", "Mei", "Noor", "Omar", "Pia", "Quinn", "Rui"];

/** The `n`th newcomer (n ≥ 1): every other one is in the beauty segment, all consent to offers. */
export function demoNewcomer(n: number): DemoUser & { readonly major: number } {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`newcomer number must be an integer >= 1, got ${n}`);
  const name = NEWCOMER_NAMES[(n - 1) % NEWCOMER_NAMES.length] ?? "Guest";
  return {
    id: `u-new-${n}`,
    displayName: `${name} #${n}`,
    major: NEWCOMER_MAJOR + Math.floor(n / 65_536),
    minor: n % 65_536,
    segments: n % 2 === 1 ? ["beauty"] : ["coffee"],
    loyaltyTier: "member",
    marketingConsent: true,
  };
}

export function newcomerSubjectId(n: number): string {
  const user = demoNewcomer(n);
  return `ibeacon:${APP_BEACON_UUID}:${user.major}:${user.minor}`;
}

const COUNTER: Point = { x: 10, y: 5.2 };
const AISLE: Point = { x: 6, y: 9 };

/**
 * The `n`th newcomer's phone: one visit from `arriveAt` (door, then the lipstick counter for the
 * beauty segment or the aisle for the rest), then gone.
 */
export function newcomerAdvertiser(n: number, arriveAt: number, random: () => number): SimAdvertiser {
  const user = demoNewcomer(n);
  const spot = user.segments.includes("beauty") ? COUNTER : AISLE;
  const stayMs = 40_000 + Math.floor(random() * 50_000);
  const walkMs = (Math.hypot(spot.x - DOOR.x, spot.y - DOOR.y) / 1.2) * 1000;
  return {
    addr: `02:00:00:03:${((n >> 8) & 0xff).toString(16).padStart(2, "0")}:${(n & 0xff).toString(16).padStart(2, "0")}`,
    data: iBeaconAdvert(APP_BEACON_UUID, user.major, user.minor, -59),
    powerAt1mDbm: -59 + Math.round(-3 + random() * 6),
    intervalMs: n % 2 === 0 ? 100 : 250,
    path: visitPath({
      arriveAt,
      stayMs,
      door: DOOR,
      spot,
      outside: { x: -6 + random() * 12, y: PAVEMENT_Y },
      speedMps: 1.2,
    }),
    // visitPath keeps someone audible on the pavement for 15 s either side of the visit.
    goneAt: arriveAt + stayMs + 2 * walkMs + 16_000,
  };
}

/** People walking past the window in [from, to): one every 9–13 s, each heard for ten seconds or so. */
export function passersBy(from: number, to: number, firstNumber: number, random: () => number): SimAdvertiser[] {
  const out: SimAdvertiser[] = [];
  for (let at = from, k = firstNumber; at < to; at += 9_000 + Math.floor(random() * 4_000), k++) {
    const leftToRight = random() < 0.5;
    const path = passByPath({
      at,
      from: { x: leftToRight ? -15 : 15, y: PAVEMENT_Y - random() },
      to: { x: leftToRight ? 15 : -15, y: PAVEMENT_Y - random() },
      speedMps: 1.3,
    });
    out.push({
      addr: `02:00:00:04:${((k >> 8) & 0xff).toString(16).padStart(2, "0")}:${(k & 0xff).toString(16).padStart(2, "0")}`,
      data: iBeaconAdvert("0b5e2fd1-4cd6-4d22-8b0f-9bb3a1fa4e30", 8, k % 65_536, -59),
      powerAt1mDbm: -59,
      intervalMs: 300,
      path,
      goneAt: at + 30_000,
    });
  }
  return out;
}
