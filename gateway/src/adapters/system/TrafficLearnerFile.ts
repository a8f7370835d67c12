import Type from "typebox";
import { Checker } from "../../../../protocol/index.js";
import type { TrafficLearnerStore } from "../../services/TrafficCalibration.js";
import { StateFile } from "./StateFile.js";

/**
 * Most tracks one bin of one day may hold: a street heard all day ends some thousands. Beyond it the
 * file is corrupt, and read as none: the counts are summed into the status's `tracks`, which a count
 * up to 2^53 per bin would carry past what its schema (and a JSON number) holds.
 */
const MAX_BIN_TRACKS = 1_000_000_000;

const StateSchema = Type.Object(
  {
    v: Type.Literal(1),
    days: Type.Array(
      Type.Object(
        {
          dayStart: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
          bins: Type.Array(Type.Tuple([Type.Number({ minimum: 0, maximum: 200 }), Type.Integer({ minimum: 0, maximum: MAX_BIN_TRACKS })]), { maxItems: 1000 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);
const checker = new Checker(StateSchema);

/** The traffic learner's day histograms as JSON in the gateway's data directory, written atomically. */
export class TrafficLearnerFile extends StateFile<typeof StateSchema> implements TrafficLearnerStore {
  constructor(path: string) {
    super(path, checker);
  }
}
