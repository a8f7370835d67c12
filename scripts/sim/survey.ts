import { iBeaconAdvert } from "../../gateway/src/adapters/sim/SimWorld.js";
import type { SurveyRecording, SurveyStep } from "../../gateway/src/adapters/replay/surveyCapture.js";
import type { Advert } from "../../gateway/src/services/ports.js";
import { type FloorPlan, gatewayOf, type Point } from "./floorPlan.js";
import type { LinkState, RadioModel, Transmitter } from "./RadioModel.js";
import { streamOf } from "./rng.js";
import { TrajectoryBuilder } from "./Trajectory.js";

/** The surveyor's reference beacon: a fixed iBeacon, advertising 10 times a second at -59 dBm at 1 m. */
export const SURVEY_UUID = "3c1d6b0e-5a2f-4c7e-9b1a-2f8e4d6c0a51";
export const SURVEY_BEACON = `ibeacon:${SURVEY_UUID}:1:1`;
const SURVEY_INTERVAL_MS = 100;

/**
 * The reference beacon as carried: its true power is what it advertises (a reference), held in
 * front of the surveyor, whose body still shields it from a gateway behind them.
 */
const SURVEYOR_TX: Transmitter = { txOffsetDb: 0, bodyLossDb: 5, bearingRad: 0 };

/** Walking pace around an edge, m/s: slow, as the walk-through asks. */
const EDGE_SPEED_MPS = 0.5;
/** Stand at the door this long, turning to face the street, the shop and along the front. */
const DOOR_MS = 30_000;
/** Walk along the pavement this far from the glass, at this pace. */
const PAVEMENT_Y = -1.5;
const PAVEMENT_SPEED_MPS = 1;

export interface SurveyWalkOptions {
  readonly seed: number;
  /** When the walk starts, epoch ms. */
  readonly startAt: number;
  /** Also walk the pavement in front of the shop (the optional step). Default true. */
  readonly outside?: boolean;
}

/**
 * A site survey of the simulated shop, as `arrival-gateway calibrate` records one: a surveyor walks
 * each zone's edge once (clipped to the shop's walls), stands just inside the door, then walks the
 * pavement in front of the glass; every gateway of the plan hears the reference beacon through the
 * same radio model as the shoppers (same shadowing field, same gateway offset). Seeded: the same
 * options give the same recording.
 */
export function simulateSurvey(plan: FloorPlan, radio: RadioModel, o: SurveyWalkOptions): SurveyRecording {
  const steps: SurveyStep[] = [];
  const inside = (p: Point): Point => ({
    x: Math.min(plan.store.maxX - 0.3, Math.max(plan.store.minX + 0.3, p.x)),
    y: Math.min(plan.store.maxY - 0.3, Math.max(plan.store.minY + 0.3, p.y)),
  });
  const doorMid = { x: (plan.door.minX + plan.door.maxX) / 2, y: 0.5 };
  const b = new TrajectoryBuilder(o.startAt, doorMid);
  for (const zone of plan.zones) {
    const c = gatewayOf(plan, zone.gatewayId).position;
    const points = Array.from({ length: 25 }, (_, k) => {
      const a = (2 * Math.PI * k) / 24 - Math.PI / 2;
      return inside({ x: c.x + zone.radiusM * Math.cos(a), y: c.y + zone.radiusM * Math.sin(a) });
    });
    const [first, ...rest] = points;
    if (first === undefined) continue;
    b.walk(first, 1);
    const from = b.now;
    for (const p of rest) b.walk(p, EDGE_SPEED_MPS);
    steps.push({ place: "edge", zoneId: zone.id, from, to: b.now });
  }
  b.walk(doorMid, 1);
  const doorFrom = b.now;
  for (const heading of [-Math.PI / 2, 0, Math.PI / 2, Math.PI]) b.stand(DOOR_MS / 4, heading);
  steps.push({ place: "door", from: doorFrom, to: b.now });
  if (o.outside !== false) {
    const west = { x: plan.store.minX - 3, y: PAVEMENT_Y };
    const east = { x: plan.store.maxX + 3, y: PAVEMENT_Y };
    b.walk({ x: doorMid.x, y: PAVEMENT_Y }, 1).walk(west, 1);
    const from = b.now;
    b.walk(east, PAVEMENT_SPEED_MPS);
    steps.push({ place: "outside", from, to: b.now });
  }
  const trajectory = b.build();

  const random = streamOf(o.seed, "survey");
  const links: LinkState[] = plan.gateways.map(() => ({ valueDb: 0, lastT: null }));
  // An added gateway draws from its own stream, so the plan's gateways hear the walk as without it.
  const randoms = plan.gateways.map((g) => (g.ownStream === true ? streamOf(o.seed, "survey", g.id) : random));
  const data = iBeaconAdvert(SURVEY_UUID, 1, 1, -59);
  const adverts: Advert[] = [];
  for (let t = trajectory.startAt; t <= trajectory.endAt; t += SURVEY_INTERVAL_MS + Math.floor(random() * 11)) {
    const pose = trajectory.at(t);
    if (pose === null) continue;
    plan.gateways.forEach((g, i) => {
      const link = links[i];
      const draw = randoms[i];
      if (link === undefined || draw === undefined) return;
      const rssi = radio.receive(draw, SURVEYOR_TX, pose, g, link, t);
      if (rssi !== null) adverts.push({ t, addr: "c0:5a:0b:ea:c0:01", rssi, data, gatewayId: g.id });
    });
  }
  return { beacon: SURVEY_BEACON, steps, adverts };
}
