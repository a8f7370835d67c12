import { type BodyOf, client, ok, type Session } from "../api.js";
import { barChart } from "../charts.js";
import { confirmAction } from "../confirm.js";
import { announce, count, field, h, mount } from "../dom.js";
import { clearProblems, messageOf, showProblems } from "../errors.js";
import { browserZone, fmtZoned } from "../storeTime.js";
import { type Places, type RuleForm, ruleForm, type Spec, TEMPLATES } from "./ruleForm.js";
import { ruleVersions } from "./ruleVersions.js";

/** A rule spec as the form reads it: the cloud checks it and names each wrong field (under `/spec`). */
type RuleSpecBody = BodyOf<"/v1/rules", "post">["spec"];

// A rule belongs to no single store: its update times are shown in the browser's zone, named.
const fmtTime = (iso: string | null) => fmtZoned(iso, browserZone());

/** The rule as the API returns it; the spec is the model of cloud/src/domain/rules/ruleSpec.ts. */
export interface RuleView {
  readonly id: string;
  readonly version: number;
  readonly status: string;
  readonly spec: Spec;
  readonly updatedAt: string | null;
}

const WRITERS = ["marketer", "admin"];

/** Lifecycle steps offered per status (the API refuses the others with 409). */
const NEXT: Record<string, readonly { to: BodyOf<"/v1/rules/{ruleId}/transitions", "post">["to"]; label: string }[]> = {
  draft: [{ to: "live", label: "Make live" }],
  scheduled: [
    { to: "live", label: "Make live now" },
    { to: "draft", label: "Back to draft" },
  ],
  live: [
    { to: "paused", label: "Pause" },
    { to: "ended", label: "End" },
  ],
  paused: [
    { to: "live", label: "Resume" },
    { to: "ended", label: "End" },
  ],
  ended: [],
};

/**
 * `#/rules`: the list; `#/rules/<id>`: a rule; `#/rules/new`: a new rule, blank or from a template
 * (`#/rules/new/template/<id>`) or a copy of a rule (`#/rules/new/copy/<id>`).
 */
export function rulesPage(root: HTMLElement, session: Session, args: readonly string[]): void {
  const [ruleId, from, fromId] = args;
  if (ruleId === undefined) void listRules(root, session);
  else if (ruleId !== "new") void editRule(root, session, ruleId, null);
  else if (from === "copy" && fromId !== undefined) void editRule(root, session, null, { copyOf: fromId });
  else void editRule(root, session, null, from === "template" && fromId !== undefined ? { template: fromId } : null);
}

function describeTrigger(t: Spec["trigger"]): string {
  if (!t) return "";
  if (t.type === "dwell") return `dwell ≥ ${t.minDwellS ?? "?"} s`;
  if (t.type === "nth-visit") return `visit #${t.n ?? "?"}`;
  if (t.type === "return-after") return t.days === undefined ? "back after ? days" : `back after ${count(t.days, "day")}`;
  return t.type;
}

async function listRules(root: HTMLElement, session: Session): Promise<void> {
  const canWrite = WRITERS.includes(session.role);
  const status = h("p", { class: "alert", role: "alert" });
  const body = h("tbody");
  mount(
    root,
    h(
      "div",
      { class: "page-head" },
      h("h1", {}, "Rules"),
      canWrite ? h("a", { href: "#/rules/new", class: "button primary" }, "New rule") : null,
    ),
    status,
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "rules stack" },
        h("caption", { class: "sr-only" }, "Rules of the organisation"),
        h("thead", {}, h("tr", {}, ...["Rule", "Name", "Trigger", "Offer", "Status", "Version", "Updated", "Actions"].map((c) => h("th", { scope: "col" }, c)))),
        body,
      ),
    ),
  );
  try {
    const { rules }: { readonly rules: readonly RuleView[] } = await ok(client.GET("/v1/rules"));
    if (rules.length === 0) mount(body, h("tr", {}, h("td", { colspan: 8 }, "No rules yet.")));
    else
      mount(
        body,
        ...rules.map((r) =>
          h(
            "tr",
            { "data-rule": r.id },
            h("td", { "data-label": "Rule" }, h("a", { href: `#/rules/${encodeURIComponent(r.id)}` }, r.id)),
            h("td", { "data-label": "Name" }, r.spec.name ?? ""),
            h("td", { "data-label": "Trigger" }, describeTrigger(r.spec.trigger)),
            h("td", { "data-label": "Offer" }, r.spec.offer?.title ?? ""),
            h("td", { "data-label": "Status" }, h("span", { class: `badge ${r.status}` }, r.status)),
            h("td", { "data-label": "Version" }, r.version),
            h("td", { "data-label": "Updated" }, fmtTime(r.updatedAt)),
            h("td", { class: "actions", "data-label": "Actions" }, ...(canWrite ? transitionButtons(r, status, () => void listRules(root, session)) : [])),
          ),
        ),
      );
  } catch (err) {
    status.textContent = messageOf(err);
  }
}

/** What ending a rule means, said before it is done: it is final. */
const END_CONSEQUENCE =
  "Ending is final: the rule stops issuing offers now and cannot be made live again. Offers already issued stay valid until they expire. To stop it for a while, pause it instead.";

function transitionButtons(rule: RuleView, status: HTMLElement, done: () => void): HTMLElement[] {
  return (NEXT[rule.status] ?? []).map(({ to, label }) => {
    const b = h("button", { type: "button", "aria-label": `${label}: ${rule.id}` }, label);
    b.addEventListener("click", () => void step());
    const step = async () => {
      if (to === "ended" && !(await confirmAction(`End rule ${rule.spec.name ?? rule.id}?`, END_CONSEQUENCE, "End the rule"))) return;
      b.disabled = true;
      await ok(client.POST("/v1/rules/{ruleId}/transitions", { params: { path: { ruleId: rule.id } }, body: { to } }))
        .then(() => {
          announce(`Rule ${rule.id} is now ${to}`);
          done();
        })
        .catch((err: unknown) => {
          status.textContent = messageOf(err);
          b.disabled = false;
        });
    };
    return b;
  });
}

/** The stores, zones and tiers the pickers offer; what a role may not read is left empty. */
async function loadPlaces(): Promise<Places> {
  const { stores } = await ok(client.GET("/v1/stores"));
  const zones = new Map(
    await Promise.all(
      stores.map(async (s) => [s.id, (await ok(client.GET("/v1/stores/{storeId}/zones", { params: { path: { storeId: s.id } } }))).zones] as const),
    ),
  );
  // The programme is read by marketers and admins; a store-ops key sees the rules without it.
  const tiers = await ok(client.GET("/v1/loyalty/program"))
    .then(({ program }) => program.tiers.map((t) => t.name))
    .catch(() => []);
  return { stores, zones, tiers };
}

async function editRule(root: HTMLElement, session: Session, ruleId: string | null, start: { copyOf?: string; template?: string } | null): Promise<void> {
  const canWrite = WRITERS.includes(session.role);
  let places: Places;
  try {
    places = await loadPlaces();
  } catch (err) {
    mount(root, h("p", { class: "alert", role: "alert" }, messageOf(err)));
    return;
  }
  const rf = ruleForm(ruleId === null, places);
  const head = h("div", { class: "page-head" }, h("h1", {}, ruleId === null ? "New rule" : `Rule ${ruleId}`));
  const state = h("p", { class: "rule-state" });
  const actions = h("div", { class: "actions" });
  const save = h("button", { type: "submit", class: "primary" }, ruleId === null ? "Create draft" : "Save new version");
  const history = h("div");
  let current: RuleView | null = null;
  if (canWrite) rf.form.append(h("div", { class: "buttons" }, save, h("a", { href: "#/rules", class: "button" }, "Back to rules")));
  else for (const el of rf.form.querySelectorAll<HTMLInputElement>("input, select, textarea, button")) el.disabled = true;

  const starter = ruleId === null && canWrite ? templatePicker(rf, start?.template) : null;
  const dry = dryRunPanel(rf, canWrite, () => current?.id);
  mount(root, head, state, actions, starter, h("div", { class: "split" }, rf.form, h("div", {}, rf.preview, dry)), history);

  let usage = "";
  const show = (rule: RuleView) => {
    current = rule;
    mount(state, "Status ", h("span", { class: `badge ${rule.status}` }, rule.status), ` · version ${rule.version} · updated ${fmtTime(rule.updatedAt)}${usage}`);
    const copy = h("a", { href: `#/rules/new/copy/${encodeURIComponent(rule.id)}`, class: "button" }, "Duplicate");
    mount(actions, ...(canWrite ? [...transitionButtons(rule, rf.summary, () => void reload()), copy] : []));
  };
  const reload = async () => {
    if (ruleId === null) return;
    try {
      const details = await ok(client.GET("/v1/rules/{ruleId}", { params: { path: { ruleId } } }));
      const { rule, offersIssued, budgetRemaining } = details;
      usage = ` · ${count(offersIssued, "offer")} issued${budgetRemaining === null ? "" : ` · ${budgetRemaining} left in budget`}`;
      rf.fill(rule.spec);
      const id = rf.form.querySelector<HTMLInputElement>("[name=id]");
      if (id) id.value = rule.id;
      show(rule);
      mount(history, ruleVersions(details.versions, details.history, fmtTime));
    } catch (err) {
      rf.summary.textContent = messageOf(err);
    }
  };
  await reload();
  if (start?.copyOf !== undefined) {
    try {
      const { rule }: { readonly rule: RuleView } = await ok(client.GET("/v1/rules/{ruleId}", { params: { path: { ruleId: start.copyOf } } }));
      rf.fill({ ...rule.spec, name: `Copy of ${rule.spec.name ?? rule.id}` });
      mount(state, `A copy of rule ${rule.id} (version ${rule.version}): saved as a new draft, with its own id.`);
    } catch (err) {
      rf.summary.textContent = messageOf(err);
    }
  }

  rf.form.addEventListener("submit", (e) => {
    e.preventDefault();
    void submit();
  });
  const submit = async () => {
    clearProblems(rf.form, rf.summary);
    const spec = rf.read();
    if (
      current?.status === "live" &&
      !(await confirmAction(
        `Change live rule ${current.spec.name ?? current.id}?`,
        `It is live: version ${current.version + 1} applies at once to the shoppers who arrive from now on. Offers already issued keep the version they were issued under.`,
        "Save and apply now",
      ))
    )
      return;
    save.disabled = true;
    const idValue = rf.form.querySelector<HTMLInputElement>("[name=id]")?.value.trim();
    const request =
      ruleId === null
        ? ok(client.POST("/v1/rules", { body: { ...(idValue ? { id: idValue } : {}), spec: spec as RuleSpecBody } }))
        : ok(client.PUT("/v1/rules/{ruleId}", { params: { path: { ruleId } }, body: { spec: spec as RuleSpecBody, ...(current ? { baseVersion: current.version } : {}) } }));
    try {
      const { rule } = await request;
      announce(`Rule ${rule.id} saved as version ${rule.version}`);
      if (ruleId === null) location.hash = `#/rules/${encodeURIComponent(rule.id)}`;
      else await reload();
    } catch (err) {
      showProblems(rf.form, rf.summary, err, "/spec");
    } finally {
      save.disabled = false;
    }
  };
}

export interface HistoryEntry {
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly detail: Record<string, unknown>;
}

/** A new rule starts blank or from one of the templates; choosing one fills the form. */
function templatePicker(rf: RuleForm, chosen: string | undefined): HTMLElement {
  const select = h("select", { name: "template" }, h("option", { value: "" }, "Blank"), ...TEMPLATES.map((t) => h("option", { value: t.id }, t.label)));
  const apply = () => {
    const template = TEMPLATES.find((t) => t.id === select.value);
    if (template) rf.fill(template.spec);
  };
  select.addEventListener("change", apply);
  if (chosen !== undefined && TEMPLATES.some((t) => t.id === chosen)) {
    select.value = chosen;
    apply();
  }
  return h("div", { class: "card starter" }, field("Start from", select, { hint: "A template fills the form; change anything before saving." }));
}

/** The dry run: what the rule in the form would have done over a past period. */
function dryRunPanel(rf: RuleForm, canWrite: boolean, ruleId: () => string | undefined): HTMLElement {
  const day = 86_400_000;
  const local = (ms: number) => new Date(ms - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  const from = h("input", { type: "datetime-local", name: "dryFrom", value: local(Date.now() - 7 * day) });
  const to = h("input", { type: "datetime-local", name: "dryTo", value: local(Date.now() + 60_000) });
  const out = h("div", { class: "dry-result", "aria-live": "polite" });
  const run = h("button", { type: "button", disabled: !canWrite }, "Dry run");
  run.addEventListener("click", () => {
    clearProblems(rf.form, rf.summary);
    mount(out, "Replaying…");
    const id = ruleId();
    ok(
      client.POST("/v1/rules/dry-run", {
        body: {
          spec: rf.read() as RuleSpecBody,
          from: new Date(from.value).toISOString(),
          to: new Date(to.value).toISOString(),
          ...(id ? { ruleId: id } : {}),
        },
      }),
    )
      .then(({ report }) => mount(out, dryRunReport(report)))
      .catch((err: unknown) => {
        mount(out);
        showProblems(rf.form, rf.summary, err, "/spec");
      });
  });
  // Reach: who the rule's audience is now, and its last week replayed.
  const reachOut = h("p", { class: "reach", "aria-live": "polite" });
  const reach = h("button", { type: "button", disabled: !canWrite }, "Estimate reach");
  reach.addEventListener("click", () => {
    clearProblems(rf.form, rf.summary);
    mount(reachOut, "Counting…");
    ok(client.POST("/v1/rules/reach", { body: { spec: rf.read() as RuleSpecBody } }))
      .then((r) =>
        mount(
          reachOut,
          `${count(r.members, "member")} with marketing consent match its audience now. Last 7 days: ` +
            `${count(r.lastWeek.arrivals, "arrival")} in its scope, ${count(r.lastWeek.shoppers, "shopper")} would have got ` +
            `${count(r.lastWeek.offers, "offer")}.`,
        ),
      )
      .catch((err: unknown) => {
        mount(reachOut);
        showProblems(rf.form, rf.summary, err, "/spec");
      });
  });
  return h(
    "section",
    { class: "card dry-run", "aria-labelledby": "dry-title" },
    h("h2", { id: "dry-title" }, "Reach and dry run"),
    reach,
    reachOut,
    h("p", { class: "hint" }, "What the rule in the form would have done on the events recorded in this period (at most 92 days)."),
    h("div", { class: "row" }, field("From", from, { hint: `In ${browserZone()}` }), field("To", to, { hint: `In ${browserZone()}` })),
    run,
    out,
  );
}

/** `POST /v1/rules/reach`. */
export interface ReachReport {
  readonly members: number;
  readonly lastWeek: { readonly from: string; readonly to: string; readonly arrivals: number; readonly shoppers: number; readonly offers: number };
}

export interface DryRunReport {
  readonly eventsEvaluated: number;
  readonly eventsOutOfScope: number;
  readonly offersIssued: number;
  readonly distinctUsers: number;
  readonly heldOutUsers: number;
  readonly notIssued: Record<string, number>;
  readonly budget: { limit: number | null; exhaustedAt: string | null };
  readonly issuedByDay: { day: string; offers: number }[];
  readonly truncated: boolean;
}

function dryRunReport(r: DryRunReport): HTMLElement {
  const reasons = Object.entries(r.notIssued).sort((a, b) => b[1] - a[1]);
  return h(
    "div",
    { class: "report" },
    h(
      "dl",
      { class: "stats" },
      ...[
        ["Offers it would have issued", r.offersIssued],
        ["Distinct shoppers", r.distinctUsers],
        ["Held out (control)", r.heldOutUsers],
        ["Events evaluated", r.eventsEvaluated],
        ["Events out of scope", r.eventsOutOfScope],
      ].flatMap(([k, v]) => [h("dt", {}, String(k)), h("dd", {}, String(v))]),
    ),
    r.budget.exhaustedAt ? h("p", {}, `Budget of ${r.budget.limit} would have run out at ${fmtTime(r.budget.exhaustedAt)}.`) : null,
    r.truncated ? h("p", { class: "warn" }, "The period held more events than one dry run replays; narrow it for a full answer.") : null,
    r.issuedByDay.length > 0 ? barChart("Offers it would have issued per day", r.issuedByDay.map((d) => ({ label: d.day, value: d.offers, text: count(d.offers, "offer") }))).element : null,
    reasons.length > 0
      ? h("table", {}, h("caption", {}, "Why it would not have issued"), h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Reason"), h("th", { scope: "col" }, "Events"))), h("tbody", {}, ...reasons.map(([k, v]) => h("tr", {}, h("td", {}, k), h("td", {}, v)))))
      : null,
  );
}
