import Type, { type Static, type TSchema } from "typebox";
import { Compile, type Validator } from "typebox/compile";

/** One validation problem, located by JSON pointer (`/events/0/at`), empty for the root. */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: Problem[] };

/** A string that must be one of `values`; gives a plain JSON Schema `enum` and a string-union type. */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { description?: string; default?: T[number] } = {},
) {
  return Type.Unsafe<T[number]>({ type: "string", enum: [...values], ...options });
}

/**
 * A compiled checker for one schema. TypeBox reports an `anyOf` failure once per branch; we keep
 * the most specific message per path so an operator reads one line per real problem.
 */
export class Checker<S extends TSchema> {
  readonly schema: S;
  private readonly validator: Validator<Record<string, never>, S>;

  constructor(schema: S) {
    this.schema = schema;
    this.validator = Compile(schema) as unknown as Validator<Record<string, never>, S>;
  }

  check(value: unknown): Checked<Static<S>> {
    if (this.validator.Check(value)) return { ok: true, value: value as Static<S> };
    const seen = new Map<string, Problem>();
    for (const error of this.validator.Errors(value)) {
      if (error.keyword === "boolean") continue; // duplicate of the additionalProperties report
      const path = error.instancePath;
      let message: string = error.message;
      if (error.keyword === "additionalProperties") {
        const extra = (error.params as { additionalProperties?: string[] }).additionalProperties ?? [];
        message = `unknown field${extra.length > 1 ? "s" : ""} ${extra.map((f) => JSON.stringify(f)).join(", ")}`;
      }
      if (error.keyword === "enum") {
        const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
        if (allowed) message = `must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`;
      }
      const key = `${path}\u0000${error.keyword === "anyOf" || error.keyword === "const" ? "anyOf" : message}`;
      if (!seen.has(key)) seen.set(key, { path, message });
    }
    const problems = [...seen.values()];
    return { ok: false, problems: problems.length > 0 ? problems : [{ path: "", message: "is invalid" }] };
  }
}

/** Formats problems as `path: message` lines, the form every CLI and log of the project uses. */
export function formatProblems(problems: readonly Problem[], root = ""): string {
  return problems.map((p) => `${root}${p.path || "/"}: ${p.message}`).join("\n");
}
