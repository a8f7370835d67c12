/**
 * The simulated shop: a 12 m wide, 16 m deep unit on a street, a glass front with a door, two
 * ceiling gateways and the two zones the retailer configured. Metres; x runs along the street, y
 * into the shop; the front wall is y = 0 and the pavement is y < 0.
 *
 * ```
 *  y=16 +------------------------+
 *       |            till (T)    |     gw-till at (9.5, 12.5), zone "till": 2 m around it
 *       |     .-----------.      |
 *       |    /   sales     \     |     gw-floor at (6, 9.5), zone "store": 5 m around it
 *       |   |  floor (G)    |    |
 *       |    \             /     |
 *       |     '-----------'      |
 *       |   entrance, window     |
 *  y=0  +--------[door]----------+     door: 5 <= x <= 7
 *        pavement (people pass along x, 1-4 m from the glass)
 * ```
 */

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface SimGateway {
  readonly id: string;
  readonly position: Point;
  /**
   * Draw this gateway's fading and losses from a random stream of its own (keyed by its id) instead
   * of the one each transmitter shares across the plan's gateways: a gateway added to a plan then
   * leaves what the others hear exactly as it was, so a run with it and one without differ only by
   * what it adds. Default false (the plan's own gateways keep their recorded draws).
   */
  readonly ownStream?: boolean;
}

/** A zone as the retailer means it: a circle of `radiusM` (horizontal) around a gateway. */
export interface SimZone {
  readonly id: string;
  readonly name: string;
  readonly gatewayId: string;
  readonly radiusM: number;
}

export interface FixedBeaconSite {
  readonly name: string;
  readonly position: Point;
}

export interface FloorPlan {
  /** The shop's interior. */
  readonly store: {
    readonly minX: number;
    readonly maxX: number;
    readonly minY: number;
    readonly maxY: number;
  };
  /** The opening in the front wall (y = 0). */
  readonly door: { readonly minX: number; readonly maxX: number };
  /** Where passers-by walk: along x from `fromX` to `toX` (or back), 1-4 m from the glass. */
  readonly street: {
    readonly fromX: number;
    readonly toX: number;
    readonly laneMinY: number;
    readonly laneMaxY: number;
  };
  /** Where people stop to look at the window display (just outside the glass). */
  readonly windowY: number;
  readonly gateways: readonly SimGateway[];
  readonly zones: readonly SimZone[];
  /** Where a shopper pays. */
  readonly tillSpot: Point;
  readonly fixedBeacons: readonly FixedBeaconSite[];
  /** Gateways hang this much higher than a phone in a hand or pocket, metres. */
  readonly heightAbovePhoneM: number;
  /** Browse spots keep this far inside the store zone's edge, metres. */
  readonly spotMarginM: number;
}

export const STORE_PLAN: FloorPlan = Object.freeze({
  store: { minX: 0, maxX: 12, minY: 0, maxY: 16 },
  door: { minX: 5, maxX: 7 },
  street: { fromX: -30, toX: 42, laneMinY: -4, laneMaxY: -1 },
  windowY: -0.6,
  gateways: [
    { id: "gw-floor", position: { x: 6, y: 9.5 } },
    { id: "gw-till", position: { x: 9.5, y: 12.5 } },
  ],
  zones: [
    { id: "store", name: "Sales floor", gatewayId: "gw-floor", radiusM: 5 },
    { id: "till", name: "Till", gatewayId: "gw-till", radiusM: 2 },
  ],
  tillSpot: { x: 9, y: 12 },
  fixedBeacons: [
    { name: "shelf", position: { x: 2.5, y: 10 } },
    { name: "window-display", position: { x: 2, y: 0.6 } },
    { name: "till-counter", position: { x: 10.2, y: 13.2 } },
  ],
  heightAbovePhoneM: 1.5,
  spotMarginM: 0.7,
});

export function gatewayOf(plan: FloorPlan, id: string): SimGateway {
  const gateway = plan.gateways.find((g) => g.id === id);
  if (gateway === undefined) throw new RangeError(`no gateway ${id}`);
  return gateway;
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/**
 * Where the simulated shop stands on the map: the plan's origin (x = 0, y = 0: the front wall's left
 * end). x runs east, y north; at shop scale a flat-earth conversion is exact to millimetres.
 */
export const PLAN_ORIGIN = Object.freeze({ lat: 48.8566, lon: 2.3522 });

const M_PER_DEG_LAT = 111_320;

/** A plan point as lat/lon (decimal degrees, rounded to 1e-7, about a centimetre). */
export function geoOf(p: Point): { lat: number; lon: number } {
  const round = (x: number): number => Math.round(x * 1e7) / 1e7;
  const mPerDegLon = M_PER_DEG_LAT * Math.cos((PLAN_ORIGIN.lat * Math.PI) / 180);
  return { lat: round(PLAN_ORIGIN.lat + p.y / M_PER_DEG_LAT), lon: round(PLAN_ORIGIN.lon + p.x / mPerDegLon) };
}
