import type { PresenceEngineOptions } from "../domain/presence/PresenceEngine.js";
import { type CalibrationRecord, checkCalibrationRecord, withPeerCalibrations } from "../domain/presence/peerCalibration.js";
import type { Logger } from "./ports.js";

export interface PeerCalibrationsOptions {
  readonly gatewayId: string;
  readonly log: Logger;
}

/**
 * The store's other gateways' calibration records as this gateway runs them: the latest valid one
 * per peer (checked against this gateway's own options, {@link checkCalibrationRecord}), laid over
 * its engine's options ({@link apply}). Kept in memory only: a peer sends its record every few
 * seconds and to a gateway it hears for the first time, and a starting gateway holds its decisions
 * until every peer's record is in (UdpSightingChannel.allPeersHeard), so a restart loses nothing.
 */
export class PeerCalibrations {
  private readonly records = new Map<string, CalibrationRecord>();
  /** The refusal last logged per peer: a peer sends the same record every few seconds. */
  private readonly refusedLogged = new Map<string, string>();

  constructor(private readonly o: PeerCalibrationsOptions) {}

  /**
   * Takes `sender`'s record when `own` (this gateway's options before any peer's record) lets it set
   * those values; answers true when what the engine should run changed.
   */
  offer(sender: string, record: CalibrationRecord, own: PresenceEngineOptions): boolean {
    const checked = checkCalibrationRecord(record, sender, own, this.o.gatewayId);
    if (!checked.ok) {
      const said = checked.problems.join("; ");
      if (this.refusedLogged.get(sender) !== said) this.o.log.warn({ peer: sender, problems: checked.problems }, "peer calibration record refused");
      this.refusedLogged.set(sender, said);
      return false;
    }
    this.refusedLogged.delete(sender);
    const before = this.records.get(sender);
    if (before !== undefined && JSON.stringify(before) === JSON.stringify(record)) return false;
    this.records.set(sender, record);
    this.o.log.info({ peer: sender, rssiOffsetDb: record.rssiOffsetDb, zones: record.zones }, "peer calibration applied");
    return true;
  }

  /** Forgets `sender`'s record (its values were refused by the engine): the config's apply again. */
  forget(sender: string): void {
    this.records.delete(sender);
  }

  /** `options` with every peer's record laid over it. */
  apply(options: PresenceEngineOptions): PresenceEngineOptions {
    return withPeerCalibrations(options, this.records.values(), this.o.gatewayId);
  }

  /** The peers whose records are held. */
  get peers(): readonly string[] {
    return [...this.records.keys()];
  }
}
