import { computeEid, eidPeriodStartS, eidSubjectId } from "../../../../protocol/index.js";

/** An install's Eddystone-EID registration, as the resolver holds it. */
export interface EidKey {
  readonly userId: string;
  readonly installId: string;
  readonly identityKey: Uint8Array;
  readonly rotationExponent: number;
}

/** One row of the resolution table: this subject id, in this period, is this user's install. */
export interface EidResolutionRow {
  readonly subjectId: string;
  readonly periodStartS: number;
  /** Past this time the period is no longer adjacent to the current one and the row can go. */
  readonly validUntilS: number;
  readonly userId: string;
  readonly installId: string;
}

/**
 * The EIDs an install advertises in the previous, current and next rotation periods around
 * `nowS` (Unix seconds, the beacon time counter this product uses). Adjacent periods absorb clock
 * drift between the phone and the cloud and sightings decided a little after they happened, as
 * the spec's "Recovering from power loss" section recommends resolving over a window.
 */
export function eidRowsAround(key: EidKey, nowS: number): EidResolutionRow[] {
  const period = 2 ** key.rotationExponent;
  const current = eidPeriodStartS(key.rotationExponent, nowS);
  const rows: EidResolutionRow[] = [];
  for (const start of [current - period, current, current + period]) {
    if (start < 0) continue;
    rows.push({
      subjectId: eidSubjectId(computeEid(key.identityKey, key.rotationExponent, start)),
      periodStartS: start,
      validUntilS: start + 2 * period,
      userId: key.userId,
      installId: key.installId,
    });
  }
  return rows;
}
