import { readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import Type from "typebox";
import { type CalibrationReport, Checker, type Zone } from "../../../protocol/index.js";
import type { SurveyCalibration } from "../domain/survey/siteSurvey.js";

/**
 * What `arrival-gateway calibrate` learned, kept beside the config file it wrote: the config holds
 * the values (site.rssiOffsetDb, each zone's edgeLossDb) and this record says when and from how
 * many samples, so the fleet view can say "surveyed on DATE".
 */
export const SurveyRecordSchema = Type.Object(
  {
    v: Type.Literal(1),
    gatewayId: Type.String({ maxLength: 64 }),
    surveyedAt: Type.String({ format: "date-time", maxLength: 40, description: "When the survey was written (the gateway's clock)." }),
    samples: Type.Integer({ minimum: 0, maximum: 1_000_000, description: "Edge samples this gateway's offset was learned from." }),
    rssiOffsetDb: Type.Number({ minimum: -30, maximum: 30 }),
    zones: Type.Array(
      Type.Object({ zoneId: Type.String({ maxLength: 64 }), edgeLossDb: Type.Number({ minimum: 0, maximum: 200 }) }, { additionalProperties: false }),
      { maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);
export type SurveyRecord = Readonly<{
  v: 1;
  gatewayId: string;
  surveyedAt: string;
  samples: number;
  rssiOffsetDb: number;
  zones: readonly { readonly zoneId: string; readonly edgeLossDb: number }[];
}>;
const checker = new Checker(SurveyRecordSchema);

/** `/etc/arrival-gateway/gateway.json` → `/etc/arrival-gateway/gateway.survey.json`. */
export function surveyRecordPath(configPath: string): string {
  const name = basename(configPath);
  return join(dirname(configPath), `${name.endsWith(".json") ? name.slice(0, -5) : name}.survey.json`);
}

/** The record of a survey of `gatewayId` that ended at `now` (epoch ms). Pure. */
export function surveyRecord(gatewayId: string, calibration: SurveyCalibration, now: number): SurveyRecord | null {
  const own = calibration.gateways.find((g) => g.gatewayId === gatewayId);
  if (own === undefined) return null;
  return {
    v: 1,
    gatewayId,
    surveyedAt: new Date(now).toISOString(),
    samples: own.samples,
    rssiOffsetDb: own.rssiOffsetDb,
    zones: calibration.zones.filter((z) => z.gatewayId === gatewayId).map((z) => ({ zoneId: z.zoneId, edgeLossDb: z.edgeLossDb })),
  };
}

/** The record beside a config, or null when there is none or it is not one (a survey is then not claimed). */
export async function readSurveyRecord(path: string): Promise<SurveyRecord | null> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return null;
  }
  try {
    const checked = checker.check(JSON.parse(text));
    return checked.ok ? (checked.value) : null;
  } catch {
    return null;
  }
}

/**
 * The calibration a gateway reports in its status: the offset and zone thresholds it runs with now
 * (its config, and the zones it applies), dated by the survey record when the record is this
 * gateway's. A value changed by hand after the survey is reported as it runs. Pure.
 */
export function calibrationReport(
  gatewayId: string,
  rssiOffsetDb: number,
  zones: readonly Zone[],
  record: SurveyRecord | null,
): CalibrationReport {
  const mine = record !== null && record.gatewayId === gatewayId ? record : null;
  return {
    surveyedAt: mine?.surveyedAt ?? null,
    samples: mine?.samples ?? null,
    rssiOffsetDb,
    zones: zones
      .flatMap((z) => (z.shape === "gateway-radius" && z.gatewayId === gatewayId ? [{ zoneId: z.id, edgeLossDb: z.edgeLossDb ?? null }] : []))
      .slice(0, 50),
  };
}
