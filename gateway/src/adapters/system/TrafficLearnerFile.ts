import Type from "typebox";
import { Checker } from "../../../../protocol/index.js";
import type { TrafficLearnerStore } from "../../services/TrafficCalibration.js";
import { StateFile } from "./StateFile.js";

const StateSchema = Type.Object(
  {
    v: Type.Literal(1),
    days: Type.Array(
      Type.Object(
        {
          dayStart: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
          bins: Type.Array(Type.Tuple([Type.Number({ minimum: 0, maximum: 200 }), Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })]), { maxItems: 1000 }),
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
