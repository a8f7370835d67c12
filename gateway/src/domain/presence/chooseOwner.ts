/** A gateway that currently hears a subject, with its smoothed, calibrated RSSI. */
export interface OwnerCandidate {
  readonly gatewayId: string;
  readonly rssiDbm: number;
}

/** A challenger must beat the owner by this much to take the subject over. dB. */
export const DEFAULT_HANDOVER_MARGIN_DB = 6;

/**
 * Picks the gateway that owns a subject in a zone: the one with the strongest smoothed signal, with
 * hysteresis so two gateways hearing a shopper about equally do not hand them back and forth. The
 * current owner keeps the subject while it still hears it and no other gateway is at least
 * `marginDb` stronger; ties between newcomers go to the smaller gateway id, so the choice is
 * deterministic. With no candidate the current owner (possibly null) is kept.
 */
export function chooseOwner(
  current: string | null,
  candidates: readonly OwnerCandidate[],
  marginDb: number = DEFAULT_HANDOVER_MARGIN_DB,
): string | null {
  let best: OwnerCandidate | undefined;
  let incumbent: OwnerCandidate | undefined;
  for (const c of candidates) {
    if (c.gatewayId === current) incumbent = c;
    if (
      best === undefined ||
      c.rssiDbm > best.rssiDbm ||
      (c.rssiDbm === best.rssiDbm && c.gatewayId < best.gatewayId)
    ) {
      best = c;
    }
  }
  if (best === undefined) return current;
  if (incumbent !== undefined && best.rssiDbm < incumbent.rssiDbm + marginDb) return incumbent.gatewayId;
  return best.gatewayId;
}
