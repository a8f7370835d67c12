import { type BodyOf, client, ok, type Session } from "../api.js";
import { announce, count, field, h, mount } from "../dom.js";
import { clearProblems, messageOf, showProblems } from "../errors.js";

/**
 * The loyalty programme (`GET`/`PUT /v1/loyalty/program`): in sentences, then as a form with one
 * control per field of the model, so each of the API's problems lands beside its field.
 */

/** The programme as cloud/src/domain/loyalty/loyaltyProgram.ts defines it. */
type Weekday = (typeof WEEKDAYS)[number];
interface EarnRule {
  id: string;
  points: number;
  perAmountMinor: number;
  channels?: string[];
  storeIds?: string[];
  categories?: string[];
}
type MemberDayWhen =
  | { kind: "weekday"; weekday: Weekday }
  | { kind: "day-of-month"; day: number }
  | { kind: "last-weekday-of-month"; weekday: Weekday }
  | { kind: "birthday-month" };
interface MemberDay {
  id: string;
  when: MemberDayWhen;
  multiplier: number;
  storeIds?: string[];
}
interface Tier {
  name: string;
  minPoints?: number;
  minSpendMinor?: number;
}
interface PointsRedemption {
  enabled: boolean;
  pointsPerCurrencyUnit: number;
  currencyUnitMinor?: number;
  maxShareOfBasket: number;
  minPoints: number;
}
interface Program {
  currency: string;
  pointsValidityDays: number | null;
  transfersAllowed: boolean;
  earnRules: EarnRule[];
  visit: { points: number; maxPerDay: number } | null;
  memberDays: MemberDay[];
  tiers: Tier[];
  tierWindowDays: number;
  pointsRedemption?: PointsRedemption | null;
}

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const WEEKDAY_NAMES: Record<Weekday, string> = { mon: "Monday", tue: "Tuesday", wed: "Wednesday", thu: "Thursday", fri: "Friday", sat: "Saturday", sun: "Sunday" };
const CHANNELS = ["till", "online"] as const;
/** The roles the route lets write the programme (membershipRoutes.ts). */
const PROGRAM_WRITERS = ["admin", "marketer"];
/** An amount in minor units as the currency writes it (`HKD 12.50`; JPY has no minor digits). */
function money(minor: number, currency: string): string {
  try {
    const f = new Intl.NumberFormat("en", { style: "currency", currency, currencyDisplay: "code" });
    const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
    return f.format(minor / 10 ** digits).replace(/\u00a0/g, " ");
  } catch {
    return `${minor} minor units of ${currency}`;
  }
}

const stores = (ids: readonly string[] | undefined) => (ids ? `in ${ids.length === 1 ? "store" : "stores"} ${ids.join(", ")}` : "in every store");

function describeWhen(w: MemberDayWhen): string {
  switch (w.kind) {
    case "weekday":
      return `every ${WEEKDAY_NAMES[w.weekday]}`;
    case "day-of-month":
      return `the ${ordinal(w.day)} of each month`;
    case "last-weekday-of-month":
      return `the last ${WEEKDAY_NAMES[w.weekday]} of each month`;
    case "birthday-month":
      return "the member's birthday month";
  }
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${suffix}`;
}

function describeTier(t: Tier, currency: string, windowDays: number, first: boolean): string {
  const parts = [
    t.minPoints !== undefined ? `${count(t.minPoints, "point")} earned` : null,
    t.minSpendMinor !== undefined ? `${money(t.minSpendMinor, currency)} spent` : null,
  ].filter(Boolean);
  if (parts.length === 0) return first ? `${t.name}: every member` : t.name;
  return `${t.name}: from ${parts.join(" and ")} within ${count(windowDays, "day")}`;
}

/** The programme in sentences: what a member earns, when it doubles, how long it lasts, the tiers. */
function programmeSummary(p: Program, version: number): HTMLElement {
  const list = (items: readonly string[], empty: string, name: string) =>
    items.length === 0 ? h("p", { class: "empty", "data-summary": name }, empty) : h("ul", { "data-summary": name }, ...items.map((t) => h("li", {}, t)));
  const r = p.pointsRedemption;
  return h(
    "section",
    { class: "card programme-summary", "aria-labelledby": "summary-title" },
    h("h2", { id: "summary-title" }, version === 0 ? "No programme written yet" : `Programme, version ${version}`),
    h("h3", {}, "Earning"),
    list(
      p.earnRules.map(
        (e) =>
          `${e.id}: ${count(e.points, "point")} per ${money(e.perAmountMinor, p.currency)} spent, ` +
          `${e.channels ? `${e.channels.join(" and ")} only` : "every channel"}, ${stores(e.storeIds)}` +
          `${e.categories ? `, on ${e.categories.join(", ")} only` : ""}`,
      ),
      `Purchases earn nothing (no earn rules). Purchases in another currency than ${p.currency} never earn.`,
      "earnRules",
    ),
    h(
      "p",
      { "data-summary": "visit" },
      p.visit
        ? `Store visits: ${count(p.visit.points, "point")} a visit, at most ${count(p.visit.maxPerDay, "visit")} a day per member and store (the store's local day).`
        : "Store visits earn nothing.",
    ),
    h("h3", {}, "Member days"),
    list(
      p.memberDays.map((d) => `${d.id}: points ×${d.multiplier} on ${describeWhen(d.when)}, ${stores(d.storeIds)}`),
      "No member days.",
      "memberDays",
    ),
    p.memberDays.length > 0 ? h("p", { class: "hint" }, "Days are each store's local days; the highest multiplier applies, they do not add up.") : null,
    h("h3", {}, "Tiers"),
    list(
      p.tiers.map((t, i) => describeTier(t, p.currency, p.tierWindowDays, i === 0)),
      "No tiers.",
      "tiers",
    ),
    p.tiers.length > 0
      ? h("p", { class: "hint" }, `Over a rolling ${count(p.tierWindowDays, "day")}: an upgrade applies at once, a downgrade at the end of the member's tier period.`)
      : null,
    h("h3", {}, "Points"),
    h(
      "ul",
      { "data-summary": "points" },
      h("li", {}, p.pointsValidityDays === null ? "Points never expire." : `Points expire ${count(p.pointsValidityDays, "day")} after they are earned.`),
      h("li", {}, p.transfersAllowed ? "Members may give points to each other." : "Members may not give points to each other."),
      h(
        "li",
        {},
        r?.enabled
          ? `Points pay at the till: ${r.pointsPerCurrencyUnit} points = ${money(r.currencyUnitMinor ?? 100, p.currency)}, up to ${Math.round(r.maxShareOfBasket * 1000) / 10} % of a basket` +
              (r.minPoints > 0 ? `, at least ${count(r.minPoints, "point")} at once.` : ".")
          : "Points are not taken as payment at the till.",
      ),
    ),
  );
}

export async function programmeView(root: HTMLElement, session: Session): Promise<void> {
  const status = h("p", { class: "alert", role: "alert" });
  const notice = h("p", { class: "notice", role: "status" });
  const summarySlot = h("div");
  mount(root, status, notice, summarySlot);
  let loaded: { program: Program; version: number };
  try {
    loaded = await ok(client.GET("/v1/loyalty/program"));
  } catch (err) {
    status.textContent = messageOf(err);
    return;
  }
  mount(summarySlot, programmeSummary(loaded.program, loaded.version));
  if (!PROGRAM_WRITERS.includes(session.role)) return;
  const pf = programmeForm(loaded.program);
  root.append(pf.form);
  pf.form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearProblems(pf.form, pf.summary);
    notice.textContent = "";
    const save = pf.form.querySelector<HTMLButtonElement>("button[type=submit]");
    if (save) save.disabled = true;
    // The form reads what was typed; the cloud checks it and names each wrong field.
    ok(client.PUT("/v1/loyalty/program", { body: pf.read() as BodyOf<"/v1/loyalty/program", "put"> }))
      .then((saved) => {
        mount(summarySlot, programmeSummary(saved.program, saved.version));
        pf.fill(saved.program);
        notice.textContent = `Programme saved as version ${saved.version}.`;
        announce(notice.textContent);
      })
      // Nothing typed is lost: the form keeps its values and each problem shows beside its field.
      .catch((err: unknown) => showProblems(pf.form, pf.summary, err))
      .finally(() => {
        if (save) save.disabled = false;
      });
  });
}

// The form: one control per field of the model, each with its JSON-pointer path, so the API's
// problems (`/earnRules/0/perAmountMinor`) land beside the field they name.

const num = (name: string, attrs: Record<string, string | number> = {}) => h("input", { type: "number", name, inputmode: "decimal", step: "any", ...attrs });
const text = (name: string, attrs: Record<string, string | number> = {}) => h("input", { type: "text", name, autocomplete: "off", ...attrs });
const numOf = (el: HTMLInputElement): number | undefined => (el.value.trim() === "" ? undefined : Number(el.value));
const listOf = (el: HTMLInputElement): string[] | undefined => {
  const items = el.value
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
  return items.length > 0 ? items : undefined;
};
const setNum = (el: HTMLInputElement, v: number | null | undefined) => {
  el.value = v === null || v === undefined ? "" : String(v);
};
/** Drops absent optional fields, so what the form did not set is not sent. */
function defined<T>(o: Record<string, unknown>): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o as T;
}

/** A fieldset standing for one item of a list: problems of the whole item (`/tiers/1`) show on it. */
function itemBox(path: string, legend: string, remove: () => void, ...children: HTMLElement[]): HTMLElement {
  const id = `f${path.replaceAll("/", "-")}`;
  const del = h("button", { type: "button", class: "remove", "aria-label": `Remove ${legend}` }, "Remove");
  del.addEventListener("click", remove);
  return h("fieldset", { class: "item", id, "data-path": path }, h("legend", {}, legend), ...children, h("span", { class: "error", id: `${id}-error` }), del);
}

interface ListEditor<T> {
  readonly el: HTMLElement;
  read(): T[];
  fill(items: readonly T[]): void;
}

/**
 * A list of items edited in place. Adding or removing re-renders from what is typed, so the paths
 * (and the API's problems) follow the items' positions.
 */
function listEditor<T>(
  title: string,
  path: string,
  addLabel: string,
  blank: () => T,
  row: (item: T, itemPath: string, remove: () => void) => { el: HTMLElement; read: () => T },
): ListEditor<T> {
  const items = h("div", { class: "items" });
  const add = h("button", { type: "button" }, addLabel);
  const error = h("span", { class: "error", id: `f${path.replaceAll("/", "-")}-error` });
  const el = h("fieldset", { id: `f${path.replaceAll("/", "-")}`, "data-path": path }, h("legend", {}, title), items, error, add);
  let rows: { el: HTMLElement; read: () => T }[] = [];
  const render = (list: readonly T[]) => {
    rows = list.map((item, i) =>
      row(item, `${path}/${i}`, () => {
        const now = rows.map((r) => r.read());
        now.splice(i, 1);
        render(now);
      }),
    );
    mount(items, ...rows.map((r) => r.el));
    if (rows.length === 0) items.append(h("p", { class: "empty" }, "None."));
  };
  add.addEventListener("click", () => {
    render([...rows.map((r) => r.read()), blank()]);
    rows.at(-1)?.el.querySelector<HTMLElement>("input, select")?.focus();
  });
  return { el, read: () => rows.map((r) => r.read()), fill: render };
}

function earnRuleRow(rule: EarnRule, path: string, remove: () => void): { el: HTMLElement; read: () => EarnRule } {
  const c = {
    id: text("earnRuleId", { maxlength: 64 }),
    points: num("earnPoints", { min: 1, max: 10000, step: 1 }),
    per: num("perAmountMinor", { min: 1, step: 1 }),
    channels: CHANNELS.map((ch) => h("input", { type: "checkbox", name: "channel", value: ch })),
    storeIds: text("earnStoreIds"),
    categories: text("categories"),
  };
  c.id.value = rule.id;
  setNum(c.points, rule.points);
  setNum(c.per, rule.perAmountMinor);
  for (const box of c.channels) box.checked = rule.channels?.includes(box.value) ?? false;
  c.storeIds.value = (rule.storeIds ?? []).join(", ");
  c.categories.value = (rule.categories ?? []).join(", ");
  const channelBox = h(
    "fieldset",
    { class: "days", id: `f${path.replaceAll("/", "-")}-channels`, "data-path": `${path}/channels` },
    h("legend", {}, "Channels (none ticked: every channel)"),
    ...c.channels.map((box) => h("label", { class: "check" }, box, box.value)),
    h("span", { class: "error", id: `f${path.replaceAll("/", "-")}-channels-error` }),
  );
  const el = itemBox(
    path,
    `Earn rule ${rule.id || "(new)"}`,
    remove,
    h(
      "div",
      { class: "row" },
      field("Rule id", c.id, { path: `${path}/id` }),
      field("Points", c.points, { path: `${path}/points` }),
      field("Per amount (minor units)", c.per, { path: `${path}/perAmountMinor`, hint: "e.g. 100 = per dollar" }),
    ),
    channelBox,
    h(
      "div",
      { class: "row" },
      field("Store ids", c.storeIds, { path: `${path}/storeIds`, hint: "Comma-separated; empty: every store." }),
      field("Categories", c.categories, { path: `${path}/categories`, hint: "Comma-separated; empty: every line." }),
    ),
  );
  return {
    el,
    read: () => {
      const channels = c.channels.filter((b) => b.checked).map((b) => b.value);
      return defined<EarnRule>({
        id: c.id.value.trim(),
        points: numOf(c.points),
        perAmountMinor: numOf(c.per),
        channels: channels.length > 0 ? channels : undefined,
        storeIds: listOf(c.storeIds),
        categories: listOf(c.categories),
      });
    },
  };
}

const WHEN_KINDS = [
  ["weekday", "every week on"],
  ["day-of-month", "a day of each month"],
  ["last-weekday-of-month", "the last weekday of the month"],
  ["birthday-month", "the member's birthday month"],
] as const;

function memberDayRow(day: MemberDay, path: string, remove: () => void): { el: HTMLElement; read: () => MemberDay } {
  const c = {
    id: text("memberDayId", { maxlength: 64 }),
    kind: h("select", { name: "whenKind" }, ...WHEN_KINDS.map(([v, label]) => h("option", { value: v }, label))),
    weekday: h("select", { name: "weekday" }, ...WEEKDAYS.map((d) => h("option", { value: d }, WEEKDAY_NAMES[d]))),
    day: num("dayOfMonth", { min: 1, max: 31, step: 1 }),
    multiplier: num("multiplier", { min: 1, max: 10 }),
    storeIds: text("memberDayStoreIds"),
  };
  c.id.value = day.id;
  c.kind.value = day.when.kind;
  if ("weekday" in day.when) c.weekday.value = day.when.weekday;
  if (day.when.kind === "day-of-month") setNum(c.day, day.when.day);
  setNum(c.multiplier, day.multiplier);
  c.storeIds.value = (day.storeIds ?? []).join(", ");
  const weekdayField = field("Weekday", c.weekday, { path: `${path}/when/weekday` });
  const dayField = field("Day of the month", c.day, { path: `${path}/when/day` });
  const sync = () => {
    weekdayField.hidden = c.kind.value !== "weekday" && c.kind.value !== "last-weekday-of-month";
    dayField.hidden = c.kind.value !== "day-of-month";
  };
  c.kind.addEventListener("change", sync);
  sync();
  const el = itemBox(
    path,
    `Member day ${day.id || "(new)"}`,
    remove,
    h("div", { class: "row" }, field("Member day id", c.id, { path: `${path}/id` }), field("Multiplier", c.multiplier, { path: `${path}/multiplier`, hint: "1 to 10, e.g. 2 = double points." })),
    h("div", { class: "row" }, field("When", c.kind, { path: `${path}/when` }), weekdayField, dayField),
    field("Store ids", c.storeIds, { path: `${path}/storeIds`, hint: "Comma-separated; empty: every store. Days are the store's local days." }),
  );
  return {
    el,
    read: () => {
      const kind = c.kind.value as MemberDayWhen["kind"];
      const when: MemberDayWhen =
        kind === "weekday" || kind === "last-weekday-of-month"
          ? { kind, weekday: c.weekday.value as Weekday }
          : kind === "day-of-month"
            ? { kind, day: numOf(c.day) as number }
            : { kind };
      return defined<MemberDay>({ id: c.id.value.trim(), when, multiplier: numOf(c.multiplier), storeIds: listOf(c.storeIds) });
    },
  };
}

function tierRow(tier: Tier, path: string, remove: () => void): { el: HTMLElement; read: () => Tier } {
  const c = { name: text("tierName", { maxlength: 32 }), minPoints: num("minPoints", { min: 0, step: 1 }), minSpend: num("minSpendMinor", { min: 0, step: 1 }) };
  c.name.value = tier.name;
  setNum(c.minPoints, tier.minPoints);
  setNum(c.minSpend, tier.minSpendMinor);
  const el = itemBox(
    path,
    `Tier ${tier.name || "(new)"}`,
    remove,
    h(
      "div",
      { class: "row" },
      field("Tier name", c.name, { path: `${path}/name` }),
      field("Points earned", c.minPoints, { path: `${path}/minPoints`, hint: "Within the window; empty: no points threshold." }),
      field("Spend (minor units)", c.minSpend, { path: `${path}/minSpendMinor`, hint: "Within the window; empty: no spend threshold." }),
    ),
  );
  return { el, read: () => defined<Tier>({ name: c.name.value.trim(), minPoints: numOf(c.minPoints), minSpendMinor: numOf(c.minSpend) }) };
}

interface ProgrammeForm {
  readonly form: HTMLFormElement;
  readonly summary: HTMLElement;
  read(): Program;
  fill(p: Program): void;
}

function programmeForm(initial: Program): ProgrammeForm {
  const c = {
    currency: text("currency", { maxlength: 3, placeholder: "HKD" }),
    validity: num("pointsValidityDays", { min: 1, max: 3650, step: 1 }),
    transfers: h("input", { type: "checkbox", name: "transfersAllowed" }),
    windowDays: num("tierWindowDays", { min: 1, max: 1096, step: 1 }),
    visitPoints: num("visitPoints", { min: 1, max: 10000, step: 1 }),
    visitMax: num("visitMaxPerDay", { min: 1, max: 24, step: 1 }),
  };
  const earn = listEditor<EarnRule>("Earn rules (per amount spent)", "/earnRules", "Add earn rule", () => ({ id: "", points: 1, perAmountMinor: 100 }), earnRuleRow);
  const days = listEditor<MemberDay>("Member days", "/memberDays", "Add member day", () => ({ id: "", when: { kind: "weekday", weekday: "wed" }, multiplier: 2 }), memberDayRow);
  const tiers = listEditor<Tier>("Tiers (lowest first)", "/tiers", "Add tier", () => ({ name: "" }), tierRow);
  // Points as payment at the till are not edited here: what the programme holds is sent back as it is.
  let redemption: Program["pointsRedemption"];
  const summary = h("div", { class: "alert", role: "alert" });
  const transfersField = h("div", { class: "field" }, h("label", { class: "check" }, c.transfers, "Members may give points to each other"));
  c.transfers.dataset["path"] = "/transfersAllowed";
  c.transfers.id = "f-transfersAllowed";
  transfersField.append(h("span", { class: "error", id: "f-transfersAllowed-error" }));
  const visitBox = h(
    "fieldset",
    { id: "f-visit", "data-path": "/visit" },
    h("legend", {}, "Store visits"),
    h("p", { class: "hint" }, "Only visits the presence engine believes earn. Both empty: visits earn nothing."),
    h("div", { class: "row" }, field("Points a visit", c.visitPoints, { path: "/visit/points" }), field("Visits that earn a day", c.visitMax, { path: "/visit/maxPerDay", hint: "Per member and store, 1 to 24." })),
    h("span", { class: "error", id: "f-visit-error" }),
  );
  const form = h(
    "form",
    { class: "rule-form programme-form", novalidate: true, "aria-labelledby": "programme-form-title" },
    h("h2", { id: "programme-form-title" }, "Edit the programme"),
    summary,
    h(
      "fieldset",
      {},
      h("legend", {}, "Points"),
      h(
        "div",
        { class: "row" },
        field("Currency", c.currency, { path: "/currency", hint: "ISO 4217; purchases in another currency earn nothing." }),
        field("Points live (days)", c.validity, { path: "/pointsValidityDays", hint: "Empty: points never expire." }),
      ),
      transfersField,
    ),
    earn.el,
    visitBox,
    days.el,
    tiers.el,
    h("fieldset", {}, h("legend", {}, "Tier window"), field("Rolling window (days)", c.windowDays, { path: "/tierWindowDays", hint: "e.g. 365; tiers are computed over it." })),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, "Save programme")),
  );
  const fill = (p: Program) => {
    c.currency.value = p.currency;
    setNum(c.validity, p.pointsValidityDays);
    c.transfers.checked = p.transfersAllowed;
    setNum(c.windowDays, p.tierWindowDays);
    setNum(c.visitPoints, p.visit?.points);
    setNum(c.visitMax, p.visit?.maxPerDay);
    earn.fill(p.earnRules);
    days.fill(p.memberDays);
    tiers.fill(p.tiers);
    redemption = p.pointsRedemption;
  };
  fill(initial);
  return {
    form,
    summary,
    fill,
    read(): Program {
      const visitPoints = numOf(c.visitPoints);
      const visitMax = numOf(c.visitMax);
      return defined<Program>({
        currency: c.currency.value.trim(),
        pointsValidityDays: numOf(c.validity) ?? null,
        transfersAllowed: c.transfers.checked,
        earnRules: earn.read(),
        visit: visitPoints === undefined && visitMax === undefined ? null : defined<Program["visit"]>({ points: visitPoints, maxPerDay: visitMax }),
        memberDays: days.read(),
        tiers: tiers.read(),
        tierWindowDays: numOf(c.windowDays),
        pointsRedemption: redemption,
      });
    },
  };
}
