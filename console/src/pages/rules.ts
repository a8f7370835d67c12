import { api, get, type Session } from "../api.js";
import { barChart } from "../charts.js";
import { announce, count, field, h, mount } from "../dom.js";
import { clearProblems, messageOf, showProblems } from "../errors.js";
import { browserZone, fmtZoned } from "../storeTime.js";

// A rule belongs to no single store: its update times are shown in the browser's zone, named.
const fmtTime = (iso: string | null) => fmtZoned(iso, browserZone());

/** The rule as the API returns it; the spec is the model of cloud/src/domain/rules/ruleSpec.ts. */
interface RuleView {
  readonly id: string;
  readonly version: number;
  readonly status: string;
  readonly spec: Spec;
  readonly updatedAt: string | null;
}
type Spec = Record<string, unknown> & {
  name?: string;
  trigger?: { type: string; minDwellS?: number; n?: number; days?: number };
  offer?: { title?: string };
};

const WRITERS = ["marketer", "admin"];
const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const TRIGGERS = ["enter", "dwell", "exit", "geofence-arrival", "first-visit", "nth-visit", "return-after"] as const;

/** Lifecycle steps offered per status (the API refuses the others with 409). */
const NEXT: Record<string, readonly { to: string; label: string }[]> = {
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

export function rulesPage(root: HTMLElement, session: Session, args: readonly string[]): void {
  const [ruleId] = args;
  if (ruleId === undefined) void listRules(root, session);
  else void editRule(root, session, ruleId === "new" ? null : ruleId);
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
    const { rules } = await get<{ rules: RuleView[] }>("/v1/rules");
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

function transitionButtons(rule: RuleView, status: HTMLElement, done: () => void): HTMLElement[] {
  return (NEXT[rule.status] ?? []).map(({ to, label }) => {
    const b = h("button", { type: "button", "aria-label": `${label}: ${rule.id}` }, label);
    b.addEventListener("click", () => {
      b.disabled = true;
      api<{ rule: RuleView }>("POST", `/v1/rules/${encodeURIComponent(rule.id)}/transitions`, { to })
        .then(() => {
          announce(`Rule ${rule.id} is now ${to}`);
          done();
        })
        .catch((err: unknown) => {
          status.textContent = messageOf(err);
          b.disabled = false;
        });
    });
    return b;
  });
}

// ---- The form: one control per field of the model, each with its JSON-pointer path. ----

const input = (name: string, attrs: Record<string, string | number | boolean> = {}) =>
  h("input", { name, type: "text", ...attrs });
const num = (name: string, attrs: Record<string, string | number> = {}) => h("input", { name, type: "number", inputmode: "numeric", ...attrs });
const list = (v: unknown) => (Array.isArray(v) ? v.join(", ") : "");
const splitList = (v: string) =>
  v
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

interface RuleForm {
  readonly form: HTMLFormElement;
  readonly summary: HTMLElement;
  read(): Spec;
  fill(spec: Spec): void;
}

function ruleForm(isNew: boolean): RuleForm {
  const c = {
    id: input("id", { pattern: "[A-Za-z0-9_.:\\-]+", autocomplete: "off" }),
    name: input("name", { maxlength: 120 }),
    priority: num("priority", { min: -1000, max: 1000 }),
    holdout: num("holdoutPercent", { min: 0, max: 50, step: "0.1" }),
    triggerType: h("select", { name: "triggerType" }, ...TRIGGERS.map((t) => h("option", { value: t }, t))),
    minDwellS: num("minDwellS", { min: 1 }),
    n: num("n", { min: 1 }),
    days: num("days", { min: 1 }),
    storeIds: input("storeIds"),
    zoneIds: input("zoneIds"),
    storeTags: input("storeTags"),
    zoneTags: input("zoneTags"),
    weekdays: WEEKDAYS.map((d) => h("input", { type: "checkbox", name: "weekday", value: d })),
    windows: input("windows", { placeholder: "09:00-12:00, 17:00-20:00" }),
    from: h("input", { type: "date", name: "from" }),
    until: h("input", { type: "date", name: "until" }),
    segments: input("segments"),
    tiers: input("loyaltyTiers"),
    visitMin: num("visitMin", { min: 1 }),
    visitMax: num("visitMax", { min: 1 }),
    maxOffersReceived: num("maxOffersReceived", { min: 0 }),
    title: input("title", { maxlength: 120, required: true }),
    text: h("textarea", { name: "text", rows: 2, maxlength: 1000 }),
    discountKind: h("select", { name: "discountKind" }, h("option", { value: "percent" }, "percent off"), h("option", { value: "amount" }, "amount off"), h("option", { value: "free-item" }, "free item")),
    percent: num("percent", { min: 0, max: 100, step: "0.1" }),
    amountMinor: num("amountMinor", { min: 1 }),
    currency: input("currency", { maxlength: 3, placeholder: "EUR" }),
    item: input("item"),
    validityS: num("validityS", { min: 60 }),
    variations: h("textarea", { name: "variations", rows: 3, placeholder: '[{"storeId": "s2", "title": "…"}]' }),
    cooldownS: num("cooldownS", { min: 0 }),
    maxPerUserPerDay: num("maxPerUserPerDay", { min: 1 }),
    maxPerUser: num("maxPerUser", { min: 1 }),
    budget: num("budget", { min: 1 }),
  };
  c.validityS.value = "3600";
  c.discountKind.value = "percent";
  if (!isNew) c.id.disabled = true;

  const triggerExtra = {
    dwell: field("Minimum dwell (s)", c.minDwellS, { path: "/trigger/minDwellS" }),
    "nth-visit": field("Visit number", c.n, { path: "/trigger/n" }),
    "return-after": field("Days since previous visit", c.days, { path: "/trigger/days" }),
  };
  const discountExtra = {
    percent: field("Percent off", c.percent, { path: "/offer/discount/percent" }),
    amount: h("div", { class: "row" }, field("Amount (minor units, e.g. cents)", c.amountMinor, { path: "/offer/discount/amountMinor" }), field("Currency", c.currency, { path: "/offer/discount/currency", hint: "ISO 4217, e.g. EUR" })),
    "free-item": field("Free item", c.item, { path: "/offer/discount/item" }),
  };
  const sync = () => {
    for (const [type, el] of Object.entries(triggerExtra)) el.hidden = c.triggerType.value !== type;
    for (const [kind, el] of Object.entries(discountExtra)) el.hidden = c.discountKind.value !== kind;
  };
  c.triggerType.addEventListener("change", sync);
  c.discountKind.addEventListener("change", sync);

  const weekdayBox = h(
    "fieldset",
    { class: "days", "data-path": "/conditions/schedule/days", id: "f-days" },
    h("legend", {}, "Days"),
    ...c.weekdays.map((box) => h("label", { class: "check" }, box, box.value)),
    h("span", { class: "error", id: "f-days-error" }),
  );

  const summary = h("div", { class: "alert", role: "alert" });
  const form = h(
    "form",
    { class: "rule-form", novalidate: true },
    summary,
    h(
      "fieldset",
      {},
      h("legend", {}, "Rule"),
      h("div", { class: "row" }, field("Rule id", c.id, { path: "/id", hint: isNew ? "Optional; generated when empty." : "Fixed once created." }), field("Name", c.name, { path: "/name" })),
      h("div", { class: "row" }, field("Priority", c.priority, { path: "/priority", hint: "−1000…1000; higher wins; default 0." }), field("Holdout %", c.holdout, { path: "/holdoutPercent", hint: "0–50: share of eligible shoppers kept as a control group." })),
    ),
    h("fieldset", {}, h("legend", {}, "Trigger"), field("Fires on", c.triggerType, { path: "/trigger" }), ...Object.values(triggerExtra)),
    h(
      "fieldset",
      {},
      h("legend", {}, "Scope"),
      h("p", { class: "hint" }, "Comma-separated. Empty everywhere = the whole organisation."),
      h("div", { class: "row" }, field("Store ids", c.storeIds, { path: "/scope/storeIds" }), field("Store tags", c.storeTags, { path: "/scope/storeTags" })),
      h("div", { class: "row" }, field("Zone ids", c.zoneIds, { path: "/scope/zoneIds" }), field("Zone tags", c.zoneTags, { path: "/scope/zoneTags" })),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Conditions and schedule"),
      weekdayBox,
      field("Time windows", c.windows, { path: "/conditions/schedule/windows", hint: "HH:MM-HH:MM in each store's own timezone, comma-separated; end before start crosses midnight." }),
      h("div", { class: "row" }, field("From day", c.from, { path: "/conditions/schedule/from" }), field("Until day", c.until, { path: "/conditions/schedule/until" })),
      h("div", { class: "row" }, field("Segments", c.segments, { path: "/conditions/segments" }), field("Loyalty tiers", c.tiers, { path: "/conditions/loyaltyTiers" })),
      h("div", { class: "row" }, field("Visit count from", c.visitMin, { path: "/conditions/visitCount/min" }), field("Visit count up to", c.visitMax, { path: "/conditions/visitCount/max" }), field("Max offers received", c.maxOffersReceived, { path: "/conditions/maxOffersReceived" })),
      h("p", { class: "hint" }, "Offers are only ever sent to shoppers with marketing consent."),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Offer"),
      field("Title", c.title, { path: "/offer/title" }),
      field("Text", c.text, { path: "/offer/text" }),
      h("div", { class: "row" }, field("Discount", c.discountKind, { path: "/offer/discount" }), field("Valid for (s)", c.validityS, { path: "/offer/validityS", hint: "60 s to 30 days." })),
      ...Object.values(discountExtra),
      field("Per-store variations (JSON)", c.variations, { path: "/offer/variations", hint: "Optional list of { storeId, title?, text?, discount? }." }),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Limits"),
      h("div", { class: "row" }, field("Cooldown (s)", c.cooldownS, { path: "/limits/cooldownS" }), field("Per shopper per day", c.maxPerUserPerDay, { path: "/limits/maxPerUserPerDay" }), field("Per shopper ever", c.maxPerUser, { path: "/limits/maxPerUser" }), field("Budget (offers)", c.budget, { path: "/limits/budget" })),
    ),
  );
  sync();

  const numOf = (el: HTMLInputElement) => (el.value.trim() === "" ? undefined : Number(el.value));
  const prune = (o: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(o)) if (v === undefined || (typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0)) delete o[k];
    return o;
  };
  const listOf = (el: HTMLInputElement) => {
    const l = splitList(el.value);
    return l.length > 0 ? l : undefined;
  };

  return {
    form,
    summary,
    read(): Spec {
      // The API validates: anything the form lets through comes back as a problem next to its field.
      const type = c.triggerType.value;
      const trigger: Record<string, unknown> = { type };
      if (type === "dwell") trigger["minDwellS"] = numOf(c.minDwellS);
      if (type === "nth-visit") trigger["n"] = numOf(c.n);
      if (type === "return-after") trigger["days"] = numOf(c.days);
      const kind = c.discountKind.value;
      const discount: Record<string, unknown> =
        kind === "percent" ? { kind, percent: numOf(c.percent) } : kind === "amount" ? { kind, amountMinor: numOf(c.amountMinor), currency: c.currency.value.trim() } : { kind, item: c.item.value.trim() };
      let variations: unknown;
      if (c.variations.value.trim() !== "") {
        try {
          variations = JSON.parse(c.variations.value) as unknown;
        } catch {
          variations = c.variations.value; // the API reports it is not a list, next to the field
        }
      }
      const days = c.weekdays.filter((b) => b.checked).map((b) => b.value);
      const windows = splitList(c.windows.value).map((w) => {
        const [start = "", end = ""] = w.split("-").map((x) => x.trim());
        return { start, end };
      });
      const visitCount = prune({ min: numOf(c.visitMin), max: numOf(c.visitMax) });
      const schedule = prune({
        days: days.length > 0 ? days : undefined,
        windows: windows.length > 0 ? windows : undefined,
        from: c.from.value || undefined,
        until: c.until.value || undefined,
      });
      return prune({
        name: c.name.value.trim() || undefined,
        trigger,
        scope: prune({ storeIds: listOf(c.storeIds), zoneIds: listOf(c.zoneIds), storeTags: listOf(c.storeTags), zoneTags: listOf(c.zoneTags) }),
        conditions: prune({
          schedule,
          segments: listOf(c.segments),
          loyaltyTiers: listOf(c.tiers),
          visitCount,
          maxOffersReceived: numOf(c.maxOffersReceived),
        }),
        offer: prune({ title: c.title.value, text: c.text.value, discount, validityS: numOf(c.validityS), variations }),
        limits: prune({ cooldownS: numOf(c.cooldownS), maxPerUserPerDay: numOf(c.maxPerUserPerDay), maxPerUser: numOf(c.maxPerUser), budget: numOf(c.budget) }),
        priority: numOf(c.priority),
        holdoutPercent: numOf(c.holdout),
      });
    },
    fill(spec: Spec): void {
      const g = (o: unknown, k: string): unknown => (typeof o === "object" && o !== null ? (o as Record<string, unknown>)[k] : undefined);
      const str = (v: unknown) => (typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : "");
      c.name.value = str(spec.name);
      c.priority.value = str(spec["priority"]);
      c.holdout.value = str(spec["holdoutPercent"]);
      c.triggerType.value = str(spec.trigger?.type);
      c.minDwellS.value = str(spec.trigger?.minDwellS);
      c.n.value = str(spec.trigger?.n);
      c.days.value = str(spec.trigger?.days);
      const scope = spec["scope"];
      c.storeIds.value = list(g(scope, "storeIds"));
      c.zoneIds.value = list(g(scope, "zoneIds"));
      c.storeTags.value = list(g(scope, "storeTags"));
      c.zoneTags.value = list(g(scope, "zoneTags"));
      const cond = spec["conditions"];
      const sched = g(cond, "schedule");
      const days = (g(sched, "days") as string[] | undefined) ?? [];
      for (const b of c.weekdays) b.checked = days.includes(b.value);
      c.windows.value = ((g(sched, "windows") as { start: string; end: string }[] | undefined) ?? []).map((w) => `${w.start}-${w.end}`).join(", ");
      c.from.value = str(g(sched, "from"));
      c.until.value = str(g(sched, "until"));
      c.segments.value = list(g(cond, "segments"));
      c.tiers.value = list(g(cond, "loyaltyTiers"));
      c.visitMin.value = str(g(g(cond, "visitCount"), "min"));
      c.visitMax.value = str(g(g(cond, "visitCount"), "max"));
      c.maxOffersReceived.value = str(g(cond, "maxOffersReceived"));
      const offer = spec["offer"];
      c.title.value = str(g(offer, "title"));
      c.text.value = str(g(offer, "text"));
      const discount = g(offer, "discount");
      c.discountKind.value = str(g(discount, "kind")) || "percent";
      c.percent.value = str(g(discount, "percent"));
      c.amountMinor.value = str(g(discount, "amountMinor"));
      c.currency.value = str(g(discount, "currency"));
      c.item.value = str(g(discount, "item"));
      c.validityS.value = str(g(offer, "validityS"));
      const variations = g(offer, "variations");
      c.variations.value = variations === undefined ? "" : JSON.stringify(variations, null, 1);
      const limits = spec["limits"];
      c.cooldownS.value = str(g(limits, "cooldownS"));
      c.maxPerUserPerDay.value = str(g(limits, "maxPerUserPerDay"));
      c.maxPerUser.value = str(g(limits, "maxPerUser"));
      c.budget.value = str(g(limits, "budget"));
      sync();
    },
  };
}

async function editRule(root: HTMLElement, session: Session, ruleId: string | null): Promise<void> {
  const canWrite = WRITERS.includes(session.role);
  const rf = ruleForm(ruleId === null);
  const head = h("div", { class: "page-head" }, h("h1", {}, ruleId === null ? "New rule" : `Rule ${ruleId}`));
  const state = h("p", { class: "rule-state" });
  const actions = h("div", { class: "actions" });
  const save = h("button", { type: "submit", class: "primary" }, ruleId === null ? "Create draft" : "Save new version");
  let current: RuleView | null = null;
  if (canWrite) rf.form.append(h("div", { class: "buttons" }, save, h("a", { href: "#/rules", class: "button" }, "Back to rules")));
  else for (const el of rf.form.querySelectorAll<HTMLInputElement>("input, select, textarea")) el.disabled = true;

  const dry = dryRunPanel(rf, canWrite, () => current?.id);
  mount(root, head, state, actions, h("div", { class: "split" }, rf.form, dry));

  let usage = "";
  const show = (rule: RuleView) => {
    current = rule;
    mount(state, "Status ", h("span", { class: `badge ${rule.status}` }, rule.status), ` · version ${rule.version} · updated ${fmtTime(rule.updatedAt)}${usage}`);
    mount(actions, ...(canWrite ? transitionButtons(rule, rf.summary, () => void reload()) : []));
  };
  const reload = async () => {
    if (ruleId === null) return;
    try {
      const { rule, offersIssued, budgetRemaining } = await get<{ rule: RuleView; offersIssued: number; budgetRemaining: number | null }>(
        `/v1/rules/${encodeURIComponent(ruleId)}`,
      );
      usage = ` · ${count(offersIssued, "offer")} issued${budgetRemaining === null ? "" : ` · ${budgetRemaining} left in budget`}`;
      rf.fill(rule.spec);
      const id = rf.form.querySelector<HTMLInputElement>("[name=id]");
      if (id) id.value = rule.id;
      show(rule);
    } catch (err) {
      rf.summary.textContent = messageOf(err);
    }
  };
  await reload();

  rf.form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearProblems(rf.form, rf.summary);
    const spec = rf.read();
    save.disabled = true;
    const request =
      ruleId === null
        ? api<{ rule: RuleView }>("POST", "/v1/rules", { ...(rf.form.querySelector<HTMLInputElement>("[name=id]")?.value.trim() ? { id: rf.form.querySelector<HTMLInputElement>("[name=id]")?.value.trim() } : {}), spec })
        : api<{ rule: RuleView }>("PUT", `/v1/rules/${encodeURIComponent(ruleId)}`, { spec, ...(current ? { baseVersion: current.version } : {}) });
    request
      .then(({ rule }) => {
        announce(`Rule ${rule.id} saved as version ${rule.version}`);
        if (ruleId === null) location.hash = `#/rules/${encodeURIComponent(rule.id)}`;
        else show(rule);
      })
      .catch((err: unknown) => showProblems(rf.form, rf.summary, err, ruleId === null ? "/spec" : "/spec"))
      .finally(() => {
        save.disabled = false;
      });
  });
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
    api<{ report: DryRunReport }>("POST", "/v1/rules/dry-run", {
      spec: rf.read(),
      from: new Date(from.value).toISOString(),
      to: new Date(to.value).toISOString(),
      ...(id ? { ruleId: id } : {}),
    })
      .then(({ report }) => mount(out, dryRunReport(report)))
      .catch((err: unknown) => {
        mount(out);
        showProblems(rf.form, rf.summary, err, "/spec");
      });
  });
  return h(
    "section",
    { class: "card dry-run", "aria-labelledby": "dry-title" },
    h("h2", { id: "dry-title" }, "Dry run"),
    h("p", { class: "hint" }, "What the rule in the form would have done on the events recorded in this period (at most 92 days)."),
    h("div", { class: "row" }, field("From", from, { hint: `In ${browserZone()}` }), field("To", to, { hint: `In ${browserZone()}` })),
    run,
    out,
  );
}

interface DryRunReport {
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
    r.issuedByDay.length > 0 ? barChart("Offers per day", r.issuedByDay.map((d) => ({ label: d.day, value: d.offers }))) : null,
    reasons.length > 0
      ? h("table", {}, h("caption", {}, "Why it would not have issued"), h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Reason"), h("th", { scope: "col" }, "Events"))), h("tbody", {}, ...reasons.map(([k, v]) => h("tr", {}, h("td", {}, k), h("td", {}, v)))))
      : null,
  );
}
