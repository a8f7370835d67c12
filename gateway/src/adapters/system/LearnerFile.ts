import Type from "typebox";
import { Checker } from "../../../../protocol/index.js";
import type { LearnerStore } from "../../services/TillCalibration.js";
import { StateFile } from "./StateFile.js";

const Ms = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const StateSchema = Type.Object(
  {
    v: Type.Literal(1),
    samples: Type.Array(Type.Object({ at: Ms, residualDb: Type.Number({ minimum: -30, maximum: 30 }) }, { additionalProperties: false }), { maxItems: 10_000 }),
    offsetDb: Type.Union([Type.Number({ minimum: -30, maximum: 30 }), Type.Null()]),
    steppedAt: Type.Union([Ms, Type.Null()]),
    since: Type.Union([Ms, Type.Null()]),
    weeks: Type.Array(
      Type.Object({ weekStart: Ms, samples: Type.Integer({ minimum: 0 }), medianDb: Type.Number({ minimum: -30, maximum: 30 }) }, { additionalProperties: false }),
      { maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);
const checker = new Checker(StateSchema);

/** The till learner's state as JSON in the gateway's data directory, written atomically. */
export class LearnerFile extends StateFile<typeof StateSchema> implements LearnerStore {
  constructor(path: string) {
    super(path, checker);
  }
}
