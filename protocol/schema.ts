import Type, { type Static, type TSchema } from "typebox";
import { Compile, type Validator } from "typebox/compile";
import { Settings } from "typebox/system";

// TypeBox stops after 8 errors by default; an operator fixing a config file wants all of them, and
// a union's errors are recomputed per branch below, so the cap only has to stop pathological input.
Settings.Set({ maxErrors: 200 });

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
    if (this.validator.Check(value)) return { ok: true, value: value };
    const errors = pruneUnionBranches(
      this.validator.Errors(value),
      this.schema,
      value,
    );
    const seen = new Map<string, Problem>();
    for (const error of errors) {
      if (error.keyword === "boolean") continue; // duplicate of the additionalProperties report
      if (error.keyword === "required") {
        // Reported at the object that lacks them, a missing field would read as a problem of its
        // parent (`""` for a body); each is reported at its own path instead, as a client's form
        // shows errors beside the field (`/name: is required`).
        const missing = (error.params as { requiredProperties?: string[] }).requiredProperties ?? [];
        for (const name of missing) {
          const path = `${error.instancePath}/${encodePointer(name)}`;
          const key = `${path}\u0000is required`;
          if (!seen.has(key)) seen.set(key, { path, message: "is required" });
        }
        if (missing.length > 0) continue;
      }
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
      const key = `${path}\u0000${message}`;
      if (!seen.has(key)) seen.set(key, { path, message });
    }
    const problems = [...seen.values()];
    return { ok: false, problems: problems.length > 0 ? problems : [{ path: "", message: "is invalid" }] };
  }
}

interface RawError {
  readonly keyword: string;
  readonly schemaPath: string;
  readonly instancePath: string;
  readonly params: unknown;
  readonly message: string;
}

/** The sub-schema at a JSON-pointer-like schema path (`#/properties/zones/items`). */
function schemaAt(root: unknown, schemaPath: string): unknown {
  let node = root;
  for (const part of schemaPath.replace(/^#\/?/, "").split("/").filter(Boolean)) {
    node =
      typeof node === "object" && node !== null
        ? (node as Record<string, unknown>)[decodePointer(part)]
        : undefined;
  }
  return node;
}

/** The value at a JSON pointer (`/zones/0`). */
function valueAt(root: unknown, instancePath: string): unknown {
  let node = root;
  for (const part of instancePath.split("/").slice(1)) {
    node =
      typeof node === "object" && node !== null
        ? (node as Record<string, unknown>)[decodePointer(part)]
        : undefined;
  }
  return node;
}

/** A property name as one JSON-pointer segment (RFC 6901 §3: `~` as `~0`, `/` as `~1`). */
function encodePointer(name: string): string {
  return name.replaceAll("~", "~0").replaceAll("/", "~1");
}

function decodePointer(part: string): string {
  return part.replaceAll("~1", "/").replaceAll("~0", "~");
}

/** For each branch of a union: its discriminant fields (`const` properties) and whether the value matches them. */
function discriminants(union: unknown, value: unknown): { fields: Map<string, unknown>; matches: boolean }[] {
  const branches = (union as { anyOf?: unknown[] } | undefined)?.anyOf ?? [];
  return branches.map((branch) => {
    const fields = new Map<string, unknown>();
    const properties = (branch as { properties?: Record<string, { const?: unknown }> }).properties ?? {};
    for (const [name, property] of Object.entries(properties))
      if ("const" in property) fields.set(name, property.const);
    const matches =
      fields.size > 0 &&
      typeof value === "object" &&
      value !== null &&
      [...fields].every(([name, expected]) => (value as Record<string, unknown>)[name] === expected);
    return { fields, matches };
  });
}

/** How many instance levels a schema-path suffix descends (`properties/x` and `items` each one). */
function instanceDepth(suffix: readonly string[]): number {
  let depth = 0;
  for (let i = 0; i < suffix.length; i++) {
    const part = suffix[i];
    if (part === "properties" || part === "patternProperties") {
      depth++;
      i++;
    } else if (part === "items" || part === "additionalProperties") {
      depth++;
      if (part === "items" && /^\d+$/.test(suffix[i + 1] ?? "")) i++;
    } else if (part === "anyOf" || part === "allOf" || part === "oneOf") {
      i++;
    }
  }
  return depth;
}

const branchCheckers = new WeakMap<object, Validator<Record<string, never>, TSchema>>();

function branchChecker(branch: object): Validator<Record<string, never>, TSchema> {
  let checker = branchCheckers.get(branch);
  if (!checker) {
    checker = Compile(branch as TSchema) as unknown as Validator<Record<string, never>, TSchema>;
    branchCheckers.set(branch, checker);
  }
  return checker;
}

/**
 * A union that fails reports the errors of every branch (and TypeBox may stop before the branch
 * that matters), which reads as nonsense: "missing radiusM" for a polygon. For a tagged union
 * (branches told apart by `const` fields such as `shape` or `kind`) the errors are recomputed
 * against the one branch whose tag the value carries, or, when it carries none, replaced by the
 * list of allowed tags. Other unions keep the branch with the fewest errors.
 */
function pruneUnionBranches(errors: readonly RawError[], schema: unknown, value: unknown): RawError[] {
  const groups = new Map<string, { schemaPath: string; instancePath: string; errors: RawError[] }>();
  const plain: RawError[] = [];
  for (const e of errors) {
    const at = e.schemaPath.indexOf("/anyOf/");
    if (at < 0) {
      plain.push(e);
      continue;
    }
    const schemaPath = e.schemaPath.slice(0, at);
    const suffix = e.schemaPath
      .slice(at + "/anyOf/".length)
      .split("/")
      .slice(1);
    const levels = e.instancePath.split("/");
    const instancePath = levels.slice(0, levels.length - instanceDepth(suffix)).join("/");
    const key = `${schemaPath}\u0000${instancePath}`;
    const group = groups.get(key) ?? { schemaPath, instancePath, errors: [] };
    group.errors.push(e);
    groups.set(key, group);
  }
  const result = plain.filter(
    (e) => !(e.keyword === "anyOf" && groups.has(`${e.schemaPath}\u0000${e.instancePath}`)),
  );
  for (const group of groups.values()) {
    const union = schemaAt(schema, group.schemaPath) as { anyOf?: object[] } | undefined;
    const v = valueAt(value, group.instancePath);
    const tags = discriminants(union, v);
    if (tags.length === 0 || tags.some((t) => t.fields.size === 0)) {
      const byBranch = new Map<string, RawError[]>();
      for (const e of group.errors) {
        const index = e.schemaPath.slice(group.schemaPath.length + "/anyOf/".length).split("/")[0] ?? "";
        byBranch.set(index, [...(byBranch.get(index) ?? []), e]);
      }
      const branches = [...byBranch.values()];
      // A string that fits none of several formats (an instant or a day) is one problem naming them all.
      const formats = branches.map((b) => (b.length === 1 && b[0]?.keyword === "format" ? (b[0].params as { format?: string }).format : undefined));
      const first = branches[0]?.[0];
      if (first && branches.length > 1 && formats.every((f) => f !== undefined)) {
        result.push({ ...first, message: `must match format ${formats.map((f) => JSON.stringify(f)).join(" or ")}` });
        continue;
      }
      result.push(...(branches.sort((a, b) => a.length - b.length)[0] ?? []));
      continue;
    }
    const index = tags.findIndex((t) => t.matches);
    const branch = union?.anyOf?.[index];
    if (index < 0 || !branch) {
      const [name] = tags[0]?.fields.keys() ?? [];
      result.push({
        keyword: "enum",
        schemaPath: group.schemaPath,
        instancePath: name === undefined ? group.instancePath : `${group.instancePath}/${name}`,
        params: {
          allowedValues: [...new Set(tags.map((t) => (name === undefined ? undefined : t.fields.get(name))))],
        },
        message: "is not one of the allowed kinds",
      });
      continue;
    }
    const own = pruneUnionBranches(branchChecker(branch).Errors(v), branch, v);
    for (const e of own) {
      result.push({
        ...e,
        schemaPath: `${group.schemaPath}/anyOf/${index}${e.schemaPath.slice(1)}`,
        instancePath: `${group.instancePath}${e.instancePath}`,
      });
    }
  }
  return result;
}

/** Formats problems as `path: message` lines, the form every CLI and log of the project uses. */
export function formatProblems(problems: readonly Problem[], root = ""): string {
  return problems.map((p) => `${root}${p.path || "/"}: ${p.message}`).join("\n");
}
