import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { calibrationReport, readSurveyRecord, surveyRecord, surveyRecordPath } from "../../../gateway/src/config/surveyRecord.js";
import type { SurveyCalibration } from "../../../gateway/src/domain/survey/siteSurvey.js";
import type { Zone } from "../../../protocol/index.js";

const zones: Zone[] = [
  { id: "floor", shape: "gateway-radius", gatewayId: "g1", radiusM: 5, edgeLossDb: 71.5 },
  { id: "door", shape: "gateway-radius", gatewayId: "g1", radiusM: 2 },
  { id: "till", shape: "gateway-radius", gatewayId: "g2", radiusM: 2, edgeLossDb: 60 },
];
const calibration: SurveyCalibration = {
  gateways: [
    { gatewayId: "g1", rssiOffsetDb: 6, samples: 48 },
    { gatewayId: "g2", rssiOffsetDb: -1, samples: 12 },
  ],
  zones: [
    { zoneId: "floor", gatewayId: "g1", edgeLossDb: 71.5, reachM: 7, drawnLossDb: 70, edgeMedianLossDb: 72, edgeQuantileLossDb: 71.5, bound: null, edgeSamples: 48, edgeSpreadDb: 12, peers: [] },
    { zoneId: "till", gatewayId: "g2", edgeLossDb: 60, reachM: 2, drawnLossDb: 58, edgeMedianLossDb: 60, edgeQuantileLossDb: 60, bound: null, edgeSamples: 12, edgeSpreadDb: 9, peers: [] },
  ],
  edgeSpreadDb: 11,
  pooledDepth: null,
};

describe("the survey record and the calibration a gateway reports", () => {
  it("is kept beside the config file", () => {
    expect(surveyRecordPath("/etc/arrival-gateway/gateway.json")).toBe("/etc/arrival-gateway/gateway.survey.json");
    expect(surveyRecordPath("/srv/gw.conf")).toBe("/srv/gw.conf.survey.json");
  });

  it("reports this gateway's zones with their thresholds, dated by its own survey only", () => {
    const record = surveyRecord("g1", calibration, Date.UTC(2026, 11, 7, 9, 30));
    expect(record).toEqual({
      v: 1,
      gatewayId: "g1",
      surveyedAt: "2026-12-07T09:30:00.000Z",
      samples: 48,
      rssiOffsetDb: 6,
      zones: [{ zoneId: "floor", edgeLossDb: 71.5 }],
    });
    // What runs is reported, not what the survey once said: an offset edited by hand since shows.
    expect(calibrationReport("g1", 4.5, zones, record)).toEqual({
      surveyedAt: "2026-12-07T09:30:00.000Z",
      samples: 48,
      rssiOffsetDb: 4.5,
      zones: [
        { zoneId: "floor", edgeLossDb: 71.5 },
        { zoneId: "door", edgeLossDb: null },
      ],
    });
    // A config copied from another gateway with its record: not this gateway's survey.
    expect(calibrationReport("g2", -1, zones, record)).toEqual({
      surveyedAt: null,
      samples: null,
      rssiOffsetDb: -1,
      zones: [{ zoneId: "till", edgeLossDb: 60 }],
    });
    expect(surveyRecord("g9", calibration, 0)).toBeNull();
  });

  it("reads a record back, and no record from a missing, broken or foreign file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "arrival-survey-record-"));
    try {
      const path = join(dir, "gateway.survey.json");
      expect(await readSurveyRecord(path)).toBeNull();
      const record = surveyRecord("g1", calibration, 0);
      await writeFile(path, JSON.stringify(record));
      expect(await readSurveyRecord(path)).toEqual(record);
      await writeFile(path, "{ not json");
      expect(await readSurveyRecord(path)).toBeNull();
      await writeFile(path, JSON.stringify({ ...record, samples: -1 }));
      expect(await readSurveyRecord(path)).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
