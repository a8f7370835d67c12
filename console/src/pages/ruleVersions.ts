import { count, h } from "../dom.js";

/** One version of a rule as `GET /v1/rules/:id` returns it (newest first). */
export interface VersionView {
  readonly version: number;
  readonly status: string;
  readonly spec: Record<string, unknown>;
  readonly createdAt: string;
  readonly offersIssued: number;
}

export interface Change {
  readonly path: string;
  readonly before: string | null;
  readonly after: string | null;
}

/** Leaf values by JSON-pointer path; a list of scalars is one value ("s1, s2"), a list of objects is walked by index. */
function leaves(value: unknown, path: string, out: Map<string, string>): Map<string, string> {
  if (Array.isArray(value) && value.every((v) => typeof v === "string" || typeof v === "number")) out.set(path, value.join(", "));
  else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) leaves(v, `${path}/${k}`, out);
  } else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") out.set(path, String(value));
  return out;
}

/** What changed from one spec to the next, field by field, in the order of the newer one's fields. */
export function specDiff(before: Record<string, unknown>, after: Record<string, unknown>): Change[] {
  const a = leaves(before, "", new Map());
  const b = leaves(after, "", new Map());
  const changes: Change[] = [];
  for (const [path, value] of b) if (a.get(path) !== value) changes.push({ path, before: a.get(path) ?? null, after: value });
  for (const [path, value] of a) if (!b.has(path)) changes.push({ path, before: value, after: null });
  return changes;
}

function change(c: Change): HTMLElement {
  const path = c.path.slice(1);
  if (c.before === null) return h("li", {}, h("code", {}, path), " set to ", h("ins", {}, c.after ?? ""));
  if (c.after === null) return h("li", {}, h("code", {}, path), " removed (was ", h("del", {}, c.before), ")");
  return h("li", {}, h("code", {}, path), ": ", h("del", {}, c.before), " → ", h("ins", {}, c.after));
}

/** The rule's versions, each with what it changed from the one before, and who did what when. */
export function ruleVersions(
  versions: readonly VersionView[],
  history: readonly { readonly at: string; readonly actor: string; readonly action: string; readonly detail: Record<string, unknown> }[],
  fmtTime: (iso: string) => string,
): HTMLElement {
  return h(
    "section",
    { class: "card versions", "aria-labelledby": "versions-title" },
    h("h2", { id: "versions-title" }, "Versions and history"),
    h(
      "ol",
      { class: "version-list", reversed: true },
      ...versions.map((v, i) => {
        const previous = versions[i + 1];
        const changes = previous ? specDiff(previous.spec, v.spec) : [];
        return h(
          "li",
          { "data-version": v.version },
          h("strong", {}, `Version ${v.version}`),
          ` · ${v.status} · ${fmtTime(v.createdAt)} · ${count(v.offersIssued, "offer")} issued under it`,
          previous
            ? changes.length > 0
              ? h("ul", { class: "diff" }, ...changes.map(change))
              : h("p", { class: "hint" }, "Same rule as the version before.")
            : h("p", { class: "hint" }, "The first version."),
        );
      }),
    ),
    history.length > 0
      ? h(
          "details",
          {},
          h("summary", {}, `Change log (${count(history.length, "entry", "entries")})`),
          h(
            "ul",
            { class: "history" },
            ...history.map((e) => {
              const detail = Object.entries(e.detail)
                .map(([k, v]) => `${k} ${typeof v === "string" ? v : JSON.stringify(v)}`)
                .join(", ");
              return h("li", {}, `${fmtTime(e.at)} · ${e.action} by ${e.actor}${detail ? ` (${detail})` : ""}`);
            }),
          ),
        )
      : null,
  );
}
