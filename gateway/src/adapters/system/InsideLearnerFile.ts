import Type from "typebox";
import { Checker } from "../../../../protocol/index.js";
import type { InsideLearnerStore } from "../../services/InsideCalibration.js";
import { StateFile } from "./StateFile.js";

const Ms = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Db = Type.Number({ minimum: 0, maximum: 200 });
const StateSchema = Type.Object(
  {
    v: Type.Literal(1),
    zoneId: Type.String({ minLength: 1, maxLength: 64 }),
    samples: Type.Array(
      Type.Object(
        {
          at: Ms,
          lossesDb: Type.Array(Db, { minItems: 1, maxItems: 100 }),
          approachLossesDb: Type.Optional(Type.Array(Db, { minItems: 1, maxItems: 100 })),
          peers: Type.Optional(
            Type.Array(
              Type.Object(
                { gatewayId: Type.String({ minLength: 1, maxLength: 64 }), lossesDb: Type.Array(Type.Union([Db, Type.Null()]), { minItems: 1, maxItems: 100 }) },
                { additionalProperties: false },
              ),
              { maxItems: 50 },
            ),
          ),
        },
        { additionalProperties: false },
      ),
      { maxItems: 10_000 },
    ),
    edgeLossDb: Type.Union([Db, Type.Null()]),
    steppedAt: Type.Union([Ms, Type.Null()]),
    peerEdges: Type.Optional(
      Type.Array(
        Type.Object({ gatewayId: Type.String({ minLength: 1, maxLength: 64 }), edgeLossDb: Db, steppedAt: Ms }, { additionalProperties: false }),
        { maxItems: 50 },
      ),
    ),
    since: Type.Union([Ms, Type.Null()]),
    weeks: Type.Array(Type.Object({ weekStart: Ms, labels: Type.Integer({ minimum: 0 }), thresholdDb: Db }, { additionalProperties: false }), {
      maxItems: 1000,
    }),
  },
  { additionalProperties: false },
);
const checker = new Checker(StateSchema);

/** The inside learner's state as JSON in the gateway's data directory, written atomically. */
export class InsideLearnerFile extends StateFile<typeof StateSchema> implements InsideLearnerStore {
  constructor(path: string) {
    super(path, checker);
  }
}
