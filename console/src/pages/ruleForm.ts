import { count, field, h, mount } from "../dom.js";

/** The rule model as the form reads and writes it (cloud/src/domain/rules/ruleSpec.ts). */
export type Spec = Record<string, unknown> & {
  name?: string;
  trigger?: { type: string; minDwellS?: number; n?: number; days?: number };
  offer?: { title?: string; [field: string]: unknown };
};

/** What the pickers offer: the organisation's stores with their zones, and the programme's tiers. */
export interface Places {
  readonly stores: readonly { readonly id: string; readonly name: string; readonly timezone: string; readonly tags: readonly string[] }[];
  /** storeId → its zones */
  readonly zones: ReadonlyMap<string, readonly { readonly id: string; readonly name: string; readonly tags: readonly string[] }[]>;
  readonly tiers: readonly string[];
}

export interface RuleForm {
  readonly form: HTMLFormElement;
  readonly summary: HTMLElement;
  /** The offer as a shopper's phone shows it, following the form. */
  readonly preview: HTMLElement;
  read(): Spec;
  fill(spec: Spec): void;
}

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const TRIGGERS: readonly [string, string][] = [
  ["enter", "enters a zone"],
  ["dwell", "stays in a zone"],
  ["exit", "leaves a zone"],
  ["geofence-arrival", "arrives (the phone's geofence)"],
  ["beacon-arrival", "arrives (the phone hears the store beacon)"],
  ["first-visit", "visits for the first time"],
  ["nth-visit", "visits for the n-th time"],
  ["return-after", "comes back after days away"],
];
/** Validity units, largest first: a stored validity is shown in the largest unit that divides it. */
const UNITS: readonly [string, number][] = [
  ["days", 86_400],
  ["hours", 3_600],
  ["minutes", 60],
];

const input = (name: string, attrs: Record<string, string | number | boolean> = {}) => h("input", { name, type: "text", ...attrs });
const num = (name: string, attrs: Record<string, string | number> = {}) => h("input", { name, type: "number", inputmode: "numeric", ...attrs });
const splitList = (v: string) =>
  v
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
const g = (o: unknown, k: string): unknown => (typeof o === "object" && o !== null ? (o as Record<string, unknown>)[k] : undefined);
const str = (v: unknown) => (typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : "");
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** "15 % off", "€5.00 off", "a free Espresso": the discount as the phone says it. */
export function discountWords(discount: unknown): string {
  const kind = g(discount, "kind");
  if (kind === "percent") return `${str(g(discount, "percent")) || "?"} % off`;
  if (kind === "amount") {
    const minor = Number(g(discount, "amountMinor"));
    const currency = str(g(discount, "currency")).toUpperCase();
    if (!Number.isFinite(minor) || !/^[A-Z]{3}$/.test(currency)) return "an amount off";
    return `${new Intl.NumberFormat(undefined, { style: "currency", currency }).format(minor / 100)} off`;
  }
  if (kind === "free-item") return `a free ${str(g(discount, "item")) || "item"}`;
  return "";
}

/** "2 hours", "30 minutes", "90 s": a validity in seconds, in its largest whole unit. */
export function validityWords(seconds: number): string {
  for (const [unit, size] of UNITS) if (seconds >= size && seconds % size === 0) return count(seconds / size, unit.slice(0, -1), unit);
  return `${seconds} s`;
}

/**
 * A set of checkboxes over a list that may be long (a chain's stores): filtered by a search box,
 * with any chosen id the list does not hold kept and marked, so a rule naming a store that has
 * since gone still shows it (and the API says why it is refused).
 */
function checkList(legend: string, name: string, path: string, hint: string) {
  const search = h("input", { type: "search", name: `${name}Filter`, placeholder: "Filter", "aria-label": `Filter ${legend.toLowerCase()}` });
  const box = h("div", { class: "picks", role: "group", "aria-label": legend });
  const error = h("span", { class: "error", id: `f-${name}-error` });
  const set = h(
    "fieldset",
    { class: "picker", "data-path": path, id: `f-${name}`, "aria-describedby": `f-${name}-hint f-${name}-error` },
    h("legend", {}, legend),
    h("span", { class: "hint", id: `f-${name}-hint` }, hint),
    search,
    box,
    error,
  );
  let options: readonly { value: string; label: string }[] = [];
  const render = (chosen: ReadonlySet<string>) => {
    const known = new Set(options.map((o) => o.value));
    const all = [...options, ...[...chosen].filter((v) => !known.has(v)).map((v) => ({ value: v, label: `${v} (not found)` }))];
    mount(
      box,
      ...(all.length === 0 ? [h("span", { class: "hint" }, "None to choose from.")] : []),
      ...all.map((o) => h("label", { class: "check", "data-value": o.value }, h("input", { type: "checkbox", name, value: o.value, checked: chosen.has(o.value) }), o.label)),
    );
    filter();
  };
  const filter = () => {
    const q = search.value.trim().toLowerCase();
    for (const label of box.querySelectorAll<HTMLElement>("label")) label.hidden = q !== "" && !(label.textContent ?? "").toLowerCase().includes(q);
  };
  search.addEventListener("input", filter);
  const chosen = () => new Set([...box.querySelectorAll<HTMLInputElement>("input:checked")].map((b) => b.value));
  return {
    element: set,
    chosen,
    setOptions(next: readonly { value: string; label: string }[]) {
      options = next;
      render(chosen());
    },
    choose(values: readonly string[]) {
      render(new Set(values));
    },
  };
}

/** Starting points for a new rule: the campaigns retailers run most. */
export const TEMPLATES: readonly { readonly id: string; readonly label: string; readonly spec: Spec }[] = [
  {
    id: "welcome",
    label: "Welcome on a first visit",
    spec: {
      name: "Welcome",
      trigger: { type: "first-visit" },
      offer: { title: "Welcome! 10 % off today", text: "Show this at the till.", discount: { kind: "percent", percent: 10 }, validityS: 86_400 },
      limits: { maxPerUser: 1 },
    },
  },
  {
    id: "win-back",
    label: "Win back after 30 days away",
    spec: {
      name: "Win back",
      trigger: { type: "return-after", days: 30 },
      offer: { title: "Good to see you again", text: "A thank-you for coming back.", discount: { kind: "percent", percent: 15 }, validityS: 7_200 },
      limits: { maxPerUserPerDay: 1 },
      holdoutPercent: 10,
    },
  },
  {
    id: "dwell",
    label: "Reward a 2-minute stay in a zone",
    spec: {
      name: "Browsing reward",
      trigger: { type: "dwell", minDwellS: 120 },
      offer: { title: "Take a closer look", text: "For what you are looking at now.", discount: { kind: "percent", percent: 10 }, validityS: 3_600 },
      limits: { maxPerUserPerDay: 1, cooldownS: 3_600 },
    },
  },
  {
    id: "member-day",
    label: "Member day: Wednesdays",
    spec: {
      name: "Member day",
      trigger: { type: "enter" },
      conditions: { schedule: { days: ["wed"] } },
      offer: { title: "Member day: 20 % off", text: "Members only, every Wednesday.", discount: { kind: "percent", percent: 20 }, validityS: 14_400 },
      limits: { maxPerUserPerDay: 1 },
    },
  },
];

/** The rule form: one control per field of the model, each with its JSON-pointer path. */
export function ruleForm(isNew: boolean, places: Places): RuleForm {
  const c = {
    id: input("id", { pattern: "[A-Za-z0-9_.:\\-]+", autocomplete: "off" }),
    name: input("name", { maxlength: 120 }),
    priority: num("priority", { min: -1000, max: 1000 }),
    holdout: num("holdoutPercent", { min: 0, max: 50, step: "0.1" }),
    triggerType: h("select", { name: "triggerType" }, ...TRIGGERS.map(([t, words]) => h("option", { value: t }, `${words} (${t})`))),
    minDwellS: num("minDwellS", { min: 1 }),
    n: num("n", { min: 1 }),
    days: num("days", { min: 1 }),
    storeTags: input("storeTags", { list: "known-store-tags" }),
    zoneTags: input("zoneTags", { list: "known-zone-tags" }),
    weekdays: WEEKDAYS.map((d) => h("input", { type: "checkbox", name: "weekday", value: d })),
    windows: input("windows", { placeholder: "09:00-12:00, 17:00-20:00" }),
    from: h("input", { type: "date", name: "from" }),
    until: h("input", { type: "date", name: "until" }),
    segments: input("segments"),
    tiers: input("loyaltyTiers", { list: "known-tiers" }),
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
    validity: num("validity", { min: 1, step: "any" }),
    validityUnit: h("select", { name: "validityUnit", "aria-label": "Validity unit" }, ...UNITS.map(([u]) => h("option", { value: u }, u))),
    cooldownMin: num("cooldownMinutes", { min: 0, step: "any" }),
    maxPerUserPerDay: num("maxPerUserPerDay", { min: 1 }),
    maxPerUser: num("maxPerUser", { min: 1 }),
    budget: num("budget", { min: 1 }),
  };
  c.validity.value = "1";
  c.validityUnit.value = "hours";
  c.discountKind.value = "percent";
  if (!isNew) c.id.disabled = true;

  const storeName = new Map(places.stores.map((s) => [s.id, s.name]));
  const stores = checkList("Stores", "storeIds", "/scope/storeIds", "None chosen: every store of the organisation.");
  stores.setOptions(places.stores.map((s) => ({ value: s.id, label: `${s.name} (${s.id}) · ${s.timezone}` })));
  const zones = checkList("Zones", "zoneIds", "/scope/zoneIds", "Zones of the stores chosen. None chosen: every zone.");
  /** Zone ids are per store; a rule names them across stores, so one box stands for an id in every store. */
  const zoneOptions = () => {
    const chosenStores = stores.chosen();
    const byId = new Map<string, string[]>();
    for (const s of places.stores) {
      if (chosenStores.size > 0 && !chosenStores.has(s.id)) continue;
      for (const z of places.zones.get(s.id) ?? []) byId.set(z.id, [...(byId.get(z.id) ?? []), `${z.name} in ${s.name}`]);
    }
    zones.setOptions(
      [...byId]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([id, where]) => ({ value: id, label: where.length === 1 ? `${id}: ${where[0]}` : `${id}: ${count(where.length, "store")}` })),
    );
  };
  zoneOptions();
  stores.element.addEventListener("change", zoneOptions);

  const datalist = (id: string, values: Iterable<string>) => h("datalist", { id }, ...[...new Set(values)].sort().map((v) => h("option", { value: v })));
  const lists = h(
    "div",
    { hidden: true },
    datalist("known-store-tags", places.stores.flatMap((s) => s.tags)),
    datalist("known-zone-tags", [...places.zones.values()].flatMap((zs) => zs.flatMap((z) => z.tags))),
    datalist("known-tiers", places.tiers),
  );

  // Per-store variations, one row each: the store, and the title and text it shows there instead.
  interface VariationRow {
    store: string;
    title: string;
    text: string;
    /** A discount override written through the API; kept as it is (the form edits title and text). */
    discount: unknown;
  }
  let variations: VariationRow[] = [];
  const variationBox = h("div", { class: "variations", "data-path": "/offer/variations", id: "f-variations" });
  const renderVariations = () => {
    mount(
      variationBox,
      h("span", { class: "error", id: "f-variations-error" }),
      ...variations.map((v, i) => {
        const store = h("select", { name: `variationStore${i}` }, h("option", { value: "" }, "Choose a store"), ...places.stores.map((s) => h("option", { value: s.id }, `${s.name} (${s.id})`)));
        if (v.store && !storeName.has(v.store)) store.append(h("option", { value: v.store }, `${v.store} (not found)`));
        store.value = v.store;
        const title = input(`variationTitle${i}`, { maxlength: 120, value: v.title });
        const text = input(`variationText${i}`, { maxlength: 1000, value: v.text });
        store.addEventListener("change", () => (v.store = store.value));
        title.addEventListener("input", () => (v.title = title.value));
        text.addEventListener("input", () => (v.text = text.value));
        const remove = h("button", { type: "button", class: "link", "aria-label": `Remove variation ${i + 1}` }, "Remove");
        remove.addEventListener("click", () => {
          variations.splice(i, 1);
          renderVariations();
        });
        return h(
          "div",
          { class: "row variation", "data-variation": i },
          field("Store", store, { path: `/offer/variations/${i}/storeId` }),
          field("Title there", title, { path: `/offer/variations/${i}/title`, hint: "Empty: the rule's title." }),
          field("Text there", text, { path: `/offer/variations/${i}/text` }),
          v.discount === undefined ? null : h("p", { class: "hint" }, `Discount there: ${discountWords(v.discount)}`),
          remove,
        );
      }),
    );
  };
  const addVariation = h("button", { type: "button" }, "Add a store variation");
  addVariation.addEventListener("click", () => {
    variations.push({ store: "", title: "", text: "", discount: undefined });
    renderVariations();
    variationBox.querySelector<HTMLSelectElement>(`[name=variationStore${variations.length - 1}]`)?.focus();
  });

  const triggerExtra = {
    dwell: field("Minimum stay (s)", c.minDwellS, { path: "/trigger/minDwellS" }),
    "nth-visit": field("Visit number", c.n, { path: "/trigger/n" }),
    "return-after": field("Days since previous visit", c.days, { path: "/trigger/days" }),
  };
  const discountExtra = {
    percent: field("Percent off", c.percent, { path: "/offer/discount/percent" }),
    amount: h("div", { class: "row" }, field("Amount (minor units, e.g. cents)", c.amountMinor, { path: "/offer/discount/amountMinor" }), field("Currency", c.currency, { path: "/offer/discount/currency", hint: "ISO 4217, e.g. EUR" })),
    "free-item": field("Free item", c.item, { path: "/offer/discount/item" }),
  };
  const weekdayBox = h(
    "fieldset",
    { class: "days", "data-path": "/conditions/schedule/days", id: "f-days" },
    h("legend", {}, "Days"),
    ...c.weekdays.map((box) => h("label", { class: "check" }, box, box.value)),
    h("span", { class: "error", id: "f-days-error" }),
  );
  const validityField = h(
    "div",
    { class: "field" },
    h("label", { for: "f-validity" }, "Valid for"),
    h("div", { class: "with-unit" }, c.validity, c.validityUnit),
    h("span", { class: "hint", id: "f-validity-hint" }, "From when it is issued; 1 minute to 30 days."),
    h("span", { class: "error", id: "f-validity-error" }),
  );
  c.validity.id = "f-validity";
  c.validity.dataset["path"] = "/offer/validityS";
  c.validity.setAttribute("aria-describedby", "f-validity-hint f-validity-error");

  const summary = h("div", { class: "alert", role: "alert" });
  const form = h(
    "form",
    { class: "rule-form", novalidate: true },
    summary,
    lists,
    h(
      "fieldset",
      {},
      h("legend", {}, "Rule"),
      h("div", { class: "row" }, field("Rule id", c.id, { path: "/id", hint: isNew ? "Optional; generated when empty." : "Fixed once created." }), field("Name", c.name, { path: "/name" })),
      h("div", { class: "row" }, field("Priority", c.priority, { path: "/priority", hint: "−1000…1000; higher wins; default 0." }), field("Holdout %", c.holdout, { path: "/holdoutPercent", hint: "0–50: share of eligible shoppers kept as a control group." })),
    ),
    h("fieldset", {}, h("legend", {}, "Trigger"), field("Fires when a shopper", c.triggerType, { path: "/trigger" }), ...Object.values(triggerExtra)),
    h(
      "fieldset",
      {},
      h("legend", {}, "Where"),
      stores.element,
      zones.element,
      h("div", { class: "row" }, field("Store tags", c.storeTags, { path: "/scope/storeTags", hint: "Comma-separated; a store carrying one is in scope too." }), field("Zone tags", c.zoneTags, { path: "/scope/zoneTags" })),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Who and when"),
      weekdayBox,
      field("Time windows", c.windows, { path: "/conditions/schedule/windows", hint: "HH:MM-HH:MM in each store's own time zone (shown beside each store above), comma-separated; end before start crosses midnight." }),
      h("div", { class: "row" }, field("From day", c.from, { path: "/conditions/schedule/from", hint: "Each store's local day." }), field("Until day", c.until, { path: "/conditions/schedule/until" })),
      h("div", { class: "row" }, field("Segments", c.segments, { path: "/conditions/segments", hint: "Comma-separated, as the CRM tags members." }), field("Loyalty tiers", c.tiers, { path: "/conditions/loyaltyTiers", hint: places.tiers.length > 0 ? `The programme's: ${places.tiers.join(", ")}.` : "The programme defines no tiers yet." })),
      h("div", { class: "row" }, field("Visit count from", c.visitMin, { path: "/conditions/visitCount/min" }), field("Visit count up to", c.visitMax, { path: "/conditions/visitCount/max" }), field("Max offers received", c.maxOffersReceived, { path: "/conditions/maxOffersReceived" })),
      h("p", { class: "hint" }, "Offers are only ever sent to shoppers with marketing consent."),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Offer"),
      field("Title", c.title, { path: "/offer/title" }),
      field("Text", c.text, { path: "/offer/text" }),
      h("div", { class: "row" }, field("Discount", c.discountKind, { path: "/offer/discount" }), validityField),
      ...Object.values(discountExtra),
      h("h3", {}, "Per-store variations"),
      variationBox,
      addVariation,
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Limits"),
      h("div", { class: "row" }, field("Cooldown (minutes)", c.cooldownMin, { path: "/limits/cooldownS", hint: "Between two offers of this rule to one shopper." }), field("Per shopper per day", c.maxPerUserPerDay, { path: "/limits/maxPerUserPerDay" }), field("Per shopper ever", c.maxPerUser, { path: "/limits/maxPerUser" }), field("Budget (offers)", c.budget, { path: "/limits/budget" })),
    ),
  );

  const preview = h("section", { class: "card phone", "aria-labelledby": "preview-title" });
  const numOf = (el: HTMLInputElement) => (el.value.trim() === "" ? undefined : Number(el.value));
  const discountOf = (): Record<string, unknown> => {
    const kind = c.discountKind.value;
    if (kind === "percent") return { kind, percent: numOf(c.percent) };
    if (kind === "amount") return { kind, amountMinor: numOf(c.amountMinor), currency: c.currency.value.trim().toUpperCase() };
    return { kind, item: c.item.value.trim() };
  };
  const validityS = () => {
    const n = numOf(c.validity);
    return n === undefined ? undefined : Math.round(n * (UNITS.find(([u]) => u === c.validityUnit.value)?.[1] ?? 1));
  };
  const sync = () => {
    for (const [type, el] of Object.entries(triggerExtra)) el.hidden = c.triggerType.value !== type;
    for (const [kind, el] of Object.entries(discountExtra)) el.hidden = c.discountKind.value !== kind;
    const seconds = validityS();
    mount(
      preview,
      h("h2", { id: "preview-title" }, "On the shopper's phone"),
      h(
        "div",
        { class: "offer-card", "data-preview": "offer" },
        h("strong", { class: "offer-title" }, c.title.value.trim() || "(the offer's title)"),
        c.text.value.trim() ? h("p", {}, c.text.value.trim()) : null,
        h("p", { class: "offer-discount" }, discountWords(discountOf())),
        h("p", { class: "hint" }, seconds === undefined || !Number.isFinite(seconds) ? "" : `Valid for ${validityWords(seconds)} from arrival; one code for the till.`),
      ),
      variations.length > 0 ? h("p", { class: "hint" }, `Shown differently in ${count(variations.length, "store")}.`) : null,
    );
  };
  form.addEventListener("input", sync);
  form.addEventListener("change", sync);
  addVariation.addEventListener("click", sync);

  const prune = (o: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(o)) if (v === undefined || (typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0)) delete o[k];
    return o;
  };
  const listOf = <T>(values: readonly T[]): T[] | undefined => (values.length > 0 ? [...values] : undefined);

  const result: RuleForm = {
    form,
    summary,
    preview,
    read(): Spec {
      // The API validates: anything the form lets through comes back as a problem next to its field.
      const type = c.triggerType.value;
      const trigger: Record<string, unknown> = { type };
      if (type === "dwell") trigger["minDwellS"] = numOf(c.minDwellS);
      if (type === "nth-visit") trigger["n"] = numOf(c.n);
      if (type === "return-after") trigger["days"] = numOf(c.days);
      const days = c.weekdays.filter((b) => b.checked).map((b) => b.value);
      const windows = splitList(c.windows.value).map((w) => {
        const [start = "", end = ""] = w.split("-").map((x) => x.trim());
        return { start, end };
      });
      const cooldown = numOf(c.cooldownMin);
      return prune({
        name: c.name.value.trim() || undefined,
        trigger,
        scope: prune({ storeIds: listOf([...stores.chosen()]), zoneIds: listOf([...zones.chosen()]), storeTags: listOf(splitList(c.storeTags.value)), zoneTags: listOf(splitList(c.zoneTags.value)) }),
        conditions: prune({
          schedule: prune({ days: listOf(days), windows: listOf(windows), from: c.from.value || undefined, until: c.until.value || undefined }),
          segments: listOf(splitList(c.segments.value)),
          loyaltyTiers: listOf(splitList(c.tiers.value)),
          visitCount: prune({ min: numOf(c.visitMin), max: numOf(c.visitMax) }),
          maxOffersReceived: numOf(c.maxOffersReceived),
        }),
        offer: prune({
          title: c.title.value,
          text: c.text.value,
          discount: discountOf(),
          validityS: validityS(),
          variations: listOf(variations.map((v) => prune({ storeId: v.store, title: v.title.trim() || undefined, text: v.text.trim() || undefined, discount: v.discount }))),
        }),
        limits: prune({ cooldownS: cooldown === undefined ? undefined : cooldown * 60, maxPerUserPerDay: numOf(c.maxPerUserPerDay), maxPerUser: numOf(c.maxPerUser), budget: numOf(c.budget) }),
        priority: numOf(c.priority),
        holdoutPercent: numOf(c.holdout),
      });
    },
    fill(spec: Spec): void {
      c.name.value = str(spec.name);
      c.priority.value = str(spec["priority"]);
      c.holdout.value = str(spec["holdoutPercent"]);
      c.triggerType.value = str(spec.trigger?.type) || "enter";
      c.minDwellS.value = str(spec.trigger?.minDwellS);
      c.n.value = str(spec.trigger?.n);
      c.days.value = str(spec.trigger?.days);
      const scope = spec["scope"];
      stores.choose(strings(g(scope, "storeIds")));
      zoneOptions();
      zones.choose(strings(g(scope, "zoneIds")));
      c.storeTags.value = strings(g(scope, "storeTags")).join(", ");
      c.zoneTags.value = strings(g(scope, "zoneTags")).join(", ");
      const cond = spec["conditions"];
      const sched = g(cond, "schedule");
      const days = strings(g(sched, "days"));
      for (const b of c.weekdays) b.checked = days.includes(b.value);
      c.windows.value = ((g(sched, "windows") as { start: string; end: string }[] | undefined) ?? []).map((w) => `${w.start}-${w.end}`).join(", ");
      c.from.value = str(g(sched, "from"));
      c.until.value = str(g(sched, "until"));
      c.segments.value = strings(g(cond, "segments")).join(", ");
      c.tiers.value = strings(g(cond, "loyaltyTiers")).join(", ");
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
      const seconds = Number(g(offer, "validityS"));
      const [unit, size] = UNITS.find(([, s]) => seconds % s === 0) ?? ["minutes", 60];
      c.validityUnit.value = unit;
      c.validity.value = Number.isFinite(seconds) ? String(seconds / size) : "";
      variations = (Array.isArray(g(offer, "variations")) ? (g(offer, "variations") as unknown[]) : []).map((v) => ({
        store: str(g(v, "storeId")),
        title: str(g(v, "title")),
        text: str(g(v, "text")),
        discount: g(v, "discount"),
      }));
      renderVariations();
      const limits = spec["limits"];
      const cooldownS = Number(g(limits, "cooldownS"));
      // In minutes; one written in seconds through the API shows as a fraction and is saved back exactly.
      c.cooldownMin.value = Number.isFinite(cooldownS) ? String(cooldownS / 60) : "";
      c.maxPerUserPerDay.value = str(g(limits, "maxPerUserPerDay"));
      c.maxPerUser.value = str(g(limits, "maxPerUser"));
      c.budget.value = str(g(limits, "budget"));
      sync();
    },
  };
  renderVariations();
  sync();
  return result;
}
