import { readFile, rename, writeFile } from "node:fs/promises";
import Type from "typebox";
import { Checker } from "../../../../protocol/index.js";
import type { TillLearnerState } from "../../domain/calibration/tillLearner.js";
import type { LearnerStore } from "../../services/TillCalibration.js";

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

/** The learner's state as JSON in the gateway's data directory, written atomically. */
export class LearnerFile implements LearnerStore {
  constructor(private readonly path: string) {}

  async load(): Promise<TillLearnerState | null> {
    const text = await readFile(this.path, "utf8").catch(() => null);
    if (text === null) return null;
    try {
      const checked = checker.check(JSON.parse(text));
      return checked.ok ? checked.value : null;
    } catch {
      return null;
    }
  }

  async save(state: TillLearnerState): Promise<void> {
    await writeFile(`${this.path}.tmp`, JSON.stringify(state));
    await rename(`${this.path}.tmp`, this.path);
  }
}
