import { distanceFromRssi } from "../../../gateway/src/domain/signal/distanceFromRssi.js";
import { type Heard, ThresholdDetector, type ThresholdDetectorOptions } from "./detector.js";

/**
 * Peer baseline (a): the naive detector. Each advert's own RSSI becomes a distance with the same
 * log-distance model and exponent the gateway uses; the subject enters when one advert says it is
 * within the zone's radius and leaves when one says it is beyond (or it goes unheard for the
 * timeout). No smoothing, no hysteresis, no minimum evidence.
 */
export class RawThresholdDetector extends ThresholdDetector {
  readonly name = "raw distance threshold";
  private readonly pathLossExponent: number;

  constructor(options: ThresholdDetectorOptions & { readonly pathLossExponent: number }) {
    super(options);
    this.pathLossExponent = options.pathLossExponent;
  }

  protected distanceM(heard: Heard): number {
    return distanceFromRssi(heard.rssi, heard.measuredPowerDbm, this.pathLossExponent);
  }
}
