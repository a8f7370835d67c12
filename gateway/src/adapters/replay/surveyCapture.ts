import { decodeAdvertisement, subjectOf } from "../../domain/advert/index.js";
import type { SurveyPlace, SurveySample } from "../../domain/survey/siteSurvey.js";
import type { Advert } from "../../services/ports.js";
import { measuredPowerAt1m } from "../../services/ScanPipeline.js";
import { formatCaptureLine, parseCaptureLine } from "./captureLine.js";

/**
 * A recorded site survey (docs/replay.md, "Survey captures"): a capture (JSON Lines of adverts, as
 * `replay` reads) with two more kinds of line, written by `arrival-gateway calibrate` as it goes
 * and by the simulator's surveyor:
 *
 * ```json
 * {"survey":{"v":1,"beacon":"ibeacon:<uuid>:<major>:<minor>"}}
 * {"step":"edge","zone":"store","from":1772442000000,"to":1772442060000}
 * {"t":1772442000123,"addr":"aa:bb:cc:dd:ee:ff","rssi":-71,"ad":"0201061aff4c000215...","gw":"gw-floor"}
 * ```
 *
 * The header names the reference beacon; each step says where the surveyor was between `from` and
 * `to` (epoch ms): walking a zone's edge, just inside the door, or on the pavement outside.
 */
export interface SurveyStep {
  readonly place: SurveyPlace;
  /** The zone whose edge was walked; only for `edge`. */
  readonly zoneId?: string;
  readonly from: number;
  readonly to: number;
}

export interface SurveyRecording {
  /** The reference beacon's subject id. */
  readonly beacon: string;
  readonly steps: readonly SurveyStep[];
  readonly adverts: readonly Advert[];
}

export interface ParsedSurvey {
  readonly recording: SurveyRecording | null;
  /** Why the file is not a survey, or its bad lines (line numbers from 1). */
  readonly problems: readonly string[];
}

export const formatSurveyHeader = (beacon: string): string => JSON.stringify({ survey: { v: 1, beacon } });

export const formatSurveyStep = (step: SurveyStep): string =>
  JSON.stringify({ step: step.place, ...(step.zoneId === undefined ? {} : { zone: step.zoneId }), from: step.from, to: step.to });

/** The whole recording as text, header first. */
export function formatSurvey(recording: SurveyRecording): string {
  return [
    formatSurveyHeader(recording.beacon),
    ...recording.steps.map(formatSurveyStep),
    ...recording.adverts.map(formatCaptureLine),
    "",
  ].join("\n");
}

const PLACES: readonly SurveyPlace[] = ["edge", "door", "outside"];

/** Reads a recorded survey; every bad line is reported, and a file without a header is refused. */
export function parseSurvey(text: string): ParsedSurvey {
  const problems: string[] = [];
  let beacon: string | null = null;
  const steps: SurveyStep[] = [];
  const adverts: Advert[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    const at = `line ${i + 1}`;
    if (line.startsWith('{"survey"') || line.startsWith('{"step"')) {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        problems.push(`${at}: not JSON`);
        return;
      }
      const v = value as { survey?: { beacon?: unknown }; step?: unknown; zone?: unknown; from?: unknown; to?: unknown };
      if (v.survey !== undefined) {
        if (typeof v.survey.beacon !== "string" || v.survey.beacon === "") problems.push(`${at}: survey.beacon must be a subject id`);
        else beacon = v.survey.beacon.toLowerCase();
        return;
      }
      const place = PLACES.find((p) => p === v.step);
      if (place === undefined) return void problems.push(`${at}: step must be one of ${PLACES.join(", ")}`);
      if (typeof v.from !== "number" || typeof v.to !== "number" || !(v.to >= v.from))
        return void problems.push(`${at}: from and to must be epoch ms with to >= from`);
      if (place === "edge" && (typeof v.zone !== "string" || v.zone === ""))
        return void problems.push(`${at}: an edge step needs the zone walked`);
      steps.push({ place, ...(place === "edge" ? { zoneId: v.zone as string } : {}), from: v.from, to: v.to });
      return;
    }
    const advert = parseCaptureLine(line);
    if (typeof advert === "string") problems.push(`${at}: ${advert}`);
    else adverts.push(advert);
  });
  if (beacon === null) return { recording: null, problems: ['no {"survey":{"beacon":...}} header line: not a survey capture', ...problems] };
  return { recording: { beacon, steps, adverts }, problems };
}

/**
 * The reference beacon's adverts heard during a step, as survey samples; `gatewayId` for adverts
 * that name no gateway (one radio's recording). Other beacons, and adverts between steps (walking
 * from one place to the next), are left out.
 */
export function surveySamples(recording: SurveyRecording, gatewayId: string): SurveySample[] {
  const out: SurveySample[] = [];
  for (const advert of recording.adverts) {
    const step = recording.steps.find((s) => advert.t >= s.from && advert.t <= s.to);
    if (step === undefined) continue;
    const beacon = decodeAdvertisement(advert.data);
    const subject = beacon === null ? null : subjectOf(beacon);
    if (beacon === null || subject?.id.toLowerCase() !== recording.beacon) continue;
    const measuredPowerDbm = measuredPowerAt1m(beacon);
    if (measuredPowerDbm === null) continue;
    out.push({
      place: step.place,
      ...(step.zoneId === undefined ? {} : { zoneId: step.zoneId }),
      gatewayId: advert.gatewayId ?? gatewayId,
      rssiDbm: advert.rssi,
      measuredPowerDbm,
    });
  }
  return out;
}
