import { ApiProblem, type Problem } from "../api.js";
import { field, h, mount } from "../dom.js";
import { minorDigits, moneyInput, parseMoney } from "../money.js";
import { browserZone, isoToZonedInput, zonedInputToIso } from "../storeTime.js";
import { type BatchDiscount, type BatchSpec, CHANNEL_NAMES, CHANNELS, type CouponContext, type Eligibility } from "./couponTerms.js";

/**
 * The batch form: one control per field of the batch model, each with the JSON-pointer path the
 * API names in its problems (`/spec` stripped), so a refusal shows next to its field. People type
 * amounts in the currency (`20.50`), durations in hours or days and minutes, instants on the
 * batch timezone's wall clock; the form converts to the API's minor units, hours and ISO instants.
 * What it cannot convert (letters in an amount) is refused here the same way, next to the field,
 * and nothing typed is lost.
 */
export interface BatchForm {
  readonly form: HTMLFormElement;
  readonly summary: HTMLElement;
  /** The body to send, or the problems found before sending. */
  read(): { ok: true; batchId: string; spec: BatchSpec } | { ok: false; problem: ApiProblem };
  fill(batchId: string, spec: BatchSpec): void;
}

const text = (name: string, attrs: Record<string, string | number | boolean> = {}) => h("input", { name, type: "text", ...attrs });
const whole = (name: string, attrs: Record<string, string | number> = {}) => h("input", { name, type: "number", inputmode: "numeric", step: 1, ...attrs });
const money = (name: string) => h("input", { name, type: "text", inputmode: "decimal", autocomplete: "off" });
const select = (name: string, options: readonly (readonly [string, string])[]) =>
  h("select", { name }, ...options.map(([value, label]) => h("option", { value }, label)));
const listOf = (v: string) => [...new Set(v.split(",").map((x) => x.trim()).filter(Boolean))];

/** A group of checkboxes that the API names as one field (`/storeIds`), its message under it. */
function checkGroup(id: string, legend: string, path: string, boxes: readonly HTMLInputElement[], labels: readonly string[], hint?: string): HTMLFieldSetElement {
  const set = h(
    "fieldset",
    { class: "days", id, "data-path": path, "aria-describedby": `${id}-error` },
    h("legend", {}, legend),
    ...boxes.map((box, i) => h("label", { class: "check" }, box, labels[i] ?? box.value)),
    hint ? h("span", { class: "hint" }, hint) : null,
    h("span", { class: "error", id: `${id}-error` }),
  );
  return set;
}

const UNIT_HOURS = { hours: 1, days: 24 } as const;
const UNIT_MINUTES = { minutes: 1, hours: 60, days: 1440 } as const;

export function batchForm(ctx: CouponContext): BatchForm {
  const zones = [...new Set(ctx.stores.map((s) => s.timezone))];
  const otherZones = (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.("timeZone") ?? [browserZone()];
  const c = {
    batchId: text("batchId", { pattern: "[A-Za-z0-9][A-Za-z0-9_\\-]*", maxlength: 64, autocomplete: "off", required: true }),
    title: text("title", { maxlength: 120, required: true }),
    text: h("textarea", { name: "text", rows: 2, maxlength: 1000 }),
    imageUrl: h("input", { name: "imageUrl", type: "url", maxlength: 500, placeholder: "https://" }),
    kind: select("discountKind", [
      ["percent", "percent off"],
      ["amount", "amount off"],
      ["free-item", "free item"],
      ["spend-save", "spend X, save Y"],
    ]),
    currency: text("currency", { maxlength: 3, autocomplete: "off", value: ctx.currency }),
    percent: h("input", { name: "percent", type: "number", inputmode: "decimal", min: 0.1, max: 100, step: "any" }),
    maxDiscount: money("maxDiscount"),
    amount: money("amount"),
    item: text("item", { maxlength: 120 }),
    sku: text("sku", { maxlength: 64, autocomplete: "off" }),
    minSpend: money("minSpend"),
    categories: text("categories", { autocomplete: "off" }),
    skus: text("skus", { autocomplete: "off" }),
    validityKind: select("validityKind", [
      ["from-claim", "for a time from claim"],
      ["window", "between two dates"],
    ]),
    validFor: whole("validFor", { min: 1 }),
    validUnit: select("validUnit", [
      ["days", "days"],
      ["hours", "hours"],
    ]),
    claimUntil: h("input", { name: "claimUntil", type: "datetime-local" }),
    from: h("input", { name: "validFrom", type: "datetime-local" }),
    until: h("input", { name: "validUntil", type: "datetime-local" }),
    timezone: h(
      "select",
      { name: "timezone" },
      zones.length > 0 ? h("optgroup", { label: "The stores' zones" }, ...zones.map((z) => h("option", { value: z }, z))) : null,
      h("optgroup", { label: "Other zones" }, ...otherZones.filter((z) => !zones.includes(z)).map((z) => h("option", { value: z }, z))),
    ),
    totalStock: whole("totalStock", { min: 1 }),
    dailyStock: whole("dailyStock", { min: 1 }),
    perMember: whole("perMemberLimit", { min: 1, max: 1000 }),
    stores: ctx.stores.map((s) => h("input", { type: "checkbox", name: "storeId", value: s.id })),
    channels: CHANNELS.map((ch) => h("input", { type: "checkbox", name: "channel", value: ch })),
    pointsPrice: whole("pointsPrice", { min: 1 }),
    giftable: h("input", { type: "checkbox", name: "giftable" }),
    maxGiftPasses: whole("maxGiftPasses", { min: 1, max: 10 }),
    giftTimeout: whole("giftTimeout", { min: 1 }),
    giftTimeoutUnit: select("giftTimeoutUnit", [
      ["hours", "hours"],
      ["days", "days"],
    ]),
    presence: whole("presenceWithinMin", { min: 1, max: 1440 }),
    reminder: whole("reminderLead", { min: 1 }),
    reminderUnit: select("reminderUnit", [
      ["hours", "hours"],
      ["minutes", "minutes"],
      ["days", "days"],
    ]),
  };
  c.validFor.value = "7";
  c.timezone.value = zones[0] ?? browserZone();
  c.channels[0]?.setAttribute("checked", "");
  // The daily stock resets at midnight of the batch's zone: by default the zone of its stores.
  let zoneChosen = false;
  c.timezone.addEventListener("change", () => (zoneChosen = true));
  const followStores = () => {
    const first = ctx.stores.find((s) => c.stores.some((b) => b.checked && b.value === s.id));
    if (!zoneChosen && first) c.timezone.value = first.timezone;
    syncZoneHints();
  };
  for (const b of c.stores) b.addEventListener("change", followStores);

  const tierRows = h("div", { class: "tiers" });
  const tiers: { spend: HTMLInputElement; save: HTMLInputElement; row: HTMLElement }[] = [];
  const addTier = (spend = "", save = "") => {
    const i = tiers.length;
    const t = { spend: money(`tierSpend${i}`), save: money(`tierSave${i}`), row: h("div", { class: "row" }) };
    t.spend.value = spend;
    t.save.value = save;
    mount(t.row, field(`Tier ${i + 1}: spend`, t.spend, { path: `/discount/tiers/${i}/spendMinor` }), field(`Tier ${i + 1}: save`, t.save, { path: `/discount/tiers/${i}/saveMinor` }));
    tiers.push(t);
    tierRows.append(t.row);
    addTierButton.disabled = tiers.length >= 10;
    removeTierButton.disabled = tiers.length <= 1;
  };
  const addTierButton = h("button", { type: "button" }, "Add a tier");
  const removeTierButton = h("button", { type: "button" }, "Remove the last tier");
  addTierButton.addEventListener("click", () => addTier());
  removeTierButton.addEventListener("click", () => {
    tiers.pop()?.row.remove();
    addTierButton.disabled = false;
    removeTierButton.disabled = tiers.length <= 1;
  });

  const zoneHint = (label: string) => h("span", { class: "hint", "data-zone-hint": label });
  const hints = [zoneHint("claimUntil"), zoneHint("from"), zoneHint("until")];
  const syncZoneHints = () => {
    for (const hint of hints) hint.textContent = `On the wall clock of ${c.timezone.value}, the batch's timezone.`;
  };
  c.timezone.addEventListener("change", syncZoneHints);
  const withHint = (f: HTMLElement, hint: HTMLElement) => {
    f.querySelector("input")?.after(hint);
    return f;
  };

  const discountParts = {
    percent: h("div", { class: "row" }, field("Percent off", c.percent, { path: "/discount/percent" }), field("At most (amount)", c.maxDiscount, { path: "/discount/maxDiscountMinor", hint: "Optional cap on the discount." })),
    amount: field("Amount off", c.amount, { path: "/discount/amountMinor" }),
    "free-item": h("div", { class: "row" }, field("Free item", c.item, { path: "/discount/item", hint: "What the shopper sees." }), field("Free item's SKU", c.sku, { path: "/discount/sku", hint: "One unit of it is free." })),
    "spend-save": h("fieldset", { id: "f-tiers", "data-path": "/discount/tiers" }, h("legend", {}, "Spend X, save Y"), h("p", { class: "hint" }, "Rising spends; the highest tier the eligible spend reaches applies."), tierRows, h("div", { class: "buttons" }, addTierButton, removeTierButton), h("span", { class: "error", id: "f-tiers-error" })),
  };
  const minSpendField = field("Minimum spend", c.minSpend, { path: "/discount/minSpendMinor", hint: "Optional: eligible spend needed (for a free item, on the other items)." });
  const validityParts = {
    "from-claim": h("div", { class: "row" }, field("Valid for", c.validFor, { path: "/validity/hours" }), field("Validity unit", c.validUnit), withHint(field("Claims until", c.claimUntil, { path: "/validity/claimUntil", hint: "Optional." }), hints[0] as HTMLElement)),
    window: h("div", { class: "row" }, withHint(field("Valid from", c.from, { path: "/validity/from" }), hints[1] as HTMLElement), withHint(field("Valid until", c.until, { path: "/validity/until" }), hints[2] as HTMLElement)),
  };
  const pointsField = field("Points price", c.pointsPrice, { path: "/pointsPrice", hint: "Points a member spends for one coupon." });
  const giftParts = h("div", { class: "row" }, field("Passes on at most", c.maxGiftPasses, { path: "/maxGiftPasses", hint: "Times; default once." }), field("An unaccepted gift returns after", c.giftTimeout, { path: "/giftTimeoutHours", hint: "Default 24 hours." }), field("Return unit", c.giftTimeoutUnit));
  const sync = () => {
    for (const [k, el] of Object.entries(discountParts)) el.hidden = c.kind.value !== k;
    minSpendField.hidden = c.kind.value === "spend-save";
    for (const [k, el] of Object.entries(validityParts)) el.hidden = c.validityKind.value !== k;
    pointsField.hidden = !c.channels.some((b) => b.value === "points" && b.checked);
    giftParts.hidden = !c.giftable.checked;
  };
  for (const el of [c.kind, c.validityKind, c.giftable, ...c.channels]) el.addEventListener("change", sync);

  const summary = h("div", { class: "alert", role: "alert" });
  const storesGroup =
    ctx.stores.length > 0
      ? checkGroup("f-stores", "Stores that accept it", "/storeIds", c.stores, ctx.stores.map((s) => (s.name === s.id ? s.id : `${s.name} (${s.id})`)))
      : h("p", { class: "alert", id: "f-stores", "data-path": "/storeIds" }, "No store can be read with this key: a batch needs at least one.", h("span", { class: "error", id: "f-stores-error" }));
  const form = h(
    "form",
    { class: "rule-form batch-form", novalidate: true, "aria-label": "Coupon batch" },
    summary,
    h(
      "fieldset",
      {},
      h("legend", {}, "Coupon"),
      h("div", { class: "row" }, field("Batch id", c.batchId, { path: "/batchId", hint: "Letters, digits, - and _; fixed once created." }), field("Title", c.title, { path: "/title" })),
      field("Text", c.text, { path: "/text" }),
      field("Image address", c.imageUrl, { path: "/imageUrl", hint: "Optional; https only." }),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Discount"),
      h("div", { class: "row" }, field("Discount", c.kind, { path: "/discount" }), field("Currency", c.currency, { path: "/discount/currency", hint: "ISO 4217; the amounts on this form are in it." })),
      ...Object.values(discountParts),
      minSpendField,
      h("div", { class: "row" }, field("Eligible categories", c.categories, { path: "/discount/eligible/categories", hint: "Comma-separated; empty: every item." }), field("Eligible SKUs", c.skus, { path: "/discount/eligible/skus", hint: "Comma-separated." })),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Where and how it is issued"),
      storesGroup,
      checkGroup("f-channels", "Channels that may issue it", "/channels", c.channels, c.channels.map((b) => CHANNEL_NAMES[b.value] ?? b.value)),
      pointsField,
      field("Claim only when seen in a store within (minutes)", c.presence, { path: "/presenceWithinMin", hint: "Optional near-field claim: the member was seen in one of its stores by a gateway, the app's geofence or a store beacon." }),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Validity and stock"),
      h("div", { class: "row" }, field("Valid", c.validityKind, { path: "/validity" }), field("Timezone", c.timezone, { path: "/timezone", hint: "Its midnight resets the daily stock." })),
      ...Object.values(validityParts),
      h("div", { class: "row" }, field("Total stock", c.totalStock, { path: "/totalStock", hint: "Empty: no limit." }), field("Daily stock", c.dailyStock, { path: "/dailyStock", hint: "Per day in the timezone; empty: no limit." }), field("Per member", c.perMember, { path: "/perMemberLimit", hint: "Default 1." })),
      h("div", { class: "row" }, field("Remind before expiry", c.reminder, { path: "/reminderLeadMin", hint: "Empty: the cloud's default." }), field("Reminder unit", c.reminderUnit)),
    ),
    h("fieldset", {}, h("legend", {}, "Gifting"), h("label", { class: "check" }, c.giftable, "Members may give it to a friend"), giftParts),
  );
  addTier();
  sync();
  syncZoneHints();

  const read: BatchForm["read"] = () => {
    const problems: Problem[] = [];
    const currency = c.currency.value.trim().toUpperCase();
    const amount = (el: HTMLInputElement, path: string): number | undefined => {
      const v = parseMoney(el.value, /^[A-Z]{3}$/.test(currency) ? currency : "XXX");
      if (v === null) {
        problems.push({ path, message: `is not an amount in ${currency || "the currency"} (e.g. ${(12.5).toFixed(minorDigits(currency || "XXX"))})` });
        return undefined;
      }
      return v;
    };
    const num = (el: HTMLInputElement, path: string, scale = 1): number | undefined => {
      if (el.validity.badInput) {
        problems.push({ path, message: "is not a number" });
        return undefined;
      }
      return el.value.trim() === "" ? undefined : Number(el.value) * scale;
    };
    const instant = (el: HTMLInputElement, path: string): string | undefined => {
      if (el.value === "") return undefined;
      const iso = zonedInputToIso(el.value, c.timezone.value);
      if (iso === null) problems.push({ path, message: "is not a date and time" });
      return iso ?? undefined;
    };
    const eligible: Eligibility = {
      ...(listOf(c.categories.value).length > 0 ? { categories: listOf(c.categories.value) } : {}),
      ...(listOf(c.skus.value).length > 0 ? { skus: listOf(c.skus.value) } : {}),
    };
    const withEligible = Object.keys(eligible).length > 0 ? { eligible } : {};
    const minSpend = amount(c.minSpend, "/discount/minSpendMinor");
    const opt = <K extends string>(k: K, v: number | string | undefined) => (v === undefined ? {} : ({ [k]: v } as Record<K, number | string>));
    let discount: BatchDiscount;
    switch (c.kind.value) {
      case "amount":
        discount = { kind: "amount", amountMinor: amount(c.amount, "/discount/amountMinor") as number, currency, ...opt("minSpendMinor", minSpend), ...withEligible };
        break;
      case "free-item":
        discount = { kind: "free-item", item: c.item.value.trim(), sku: c.sku.value.trim(), ...opt("minSpendMinor", minSpend), ...withEligible };
        break;
      case "spend-save":
        discount = {
          kind: "spend-save",
          currency,
          tiers: tiers.map((t, i) => ({ spendMinor: amount(t.spend, `/discount/tiers/${i}/spendMinor`) as number, saveMinor: amount(t.save, `/discount/tiers/${i}/saveMinor`) as number })),
          ...withEligible,
        };
        break;
      default:
        discount = { kind: "percent", percent: num(c.percent, "/discount/percent") as number, ...opt("maxDiscountMinor", amount(c.maxDiscount, "/discount/maxDiscountMinor")), ...opt("minSpendMinor", minSpend), ...withEligible };
    }
    const validity: BatchSpec["validity"] =
      c.validityKind.value === "window"
        ? { kind: "window", from: instant(c.from, "/validity/from") as string, until: instant(c.until, "/validity/until") as string }
        : { kind: "from-claim", hours: num(c.validFor, "/validity/hours", UNIT_HOURS[c.validUnit.value as keyof typeof UNIT_HOURS]) as number, ...opt("claimUntil", instant(c.claimUntil, "/validity/claimUntil")) };
    const channels = c.channels.filter((b) => b.checked).map((b) => b.value) as BatchSpec["channels"];
    const spec: BatchSpec = {
      title: c.title.value.trim(),
      text: c.text.value,
      ...opt("imageUrl", c.imageUrl.value.trim() || undefined),
      discount,
      validity,
      timezone: c.timezone.value,
      ...opt("totalStock", num(c.totalStock, "/totalStock")),
      ...opt("dailyStock", num(c.dailyStock, "/dailyStock")),
      ...opt("perMemberLimit", num(c.perMember, "/perMemberLimit")),
      storeIds: c.stores.filter((b) => b.checked).map((b) => b.value),
      channels,
      ...(c.giftable.checked
        ? { giftable: true, ...opt("maxGiftPasses", num(c.maxGiftPasses, "/maxGiftPasses")), ...opt("giftTimeoutHours", num(c.giftTimeout, "/giftTimeoutHours", UNIT_HOURS[c.giftTimeoutUnit.value as keyof typeof UNIT_HOURS])) }
        : {}),
      ...opt("presenceWithinMin", num(c.presence, "/presenceWithinMin")),
      ...opt("reminderLeadMin", num(c.reminder, "/reminderLeadMin", UNIT_MINUTES[c.reminderUnit.value as keyof typeof UNIT_MINUTES])),
      ...(channels.includes("points") ? opt("pointsPrice", num(c.pointsPrice, "/pointsPrice")) : {}),
    };
    if (problems.length > 0) return { ok: false, problem: new ApiProblem(400, "VALIDATION_FAILED", "invalid input", problems) };
    return { ok: true, batchId: c.batchId.value.trim(), spec };
  };

  const fill = (batchId: string, spec: BatchSpec) => {
    const cur = spec.discount.kind === "amount" || spec.discount.kind === "spend-save" ? spec.discount.currency : ctx.currency;
    const m = (v: number | undefined) => moneyInput(v, cur);
    const n = (v: number | undefined) => (v === undefined ? "" : String(v));
    c.batchId.value = batchId;
    c.title.value = spec.title;
    c.text.value = spec.text;
    c.imageUrl.value = spec.imageUrl ?? "";
    const d = spec.discount;
    c.kind.value = d.kind;
    c.currency.value = cur;
    c.percent.value = d.kind === "percent" ? String(d.percent) : "";
    c.maxDiscount.value = d.kind === "percent" ? m(d.maxDiscountMinor) : "";
    c.amount.value = d.kind === "amount" ? m(d.amountMinor) : "";
    c.item.value = d.kind === "free-item" ? d.item : "";
    c.sku.value = d.kind === "free-item" ? d.sku : "";
    c.minSpend.value = d.kind === "spend-save" ? "" : m(d.minSpendMinor);
    c.categories.value = d.eligible?.categories?.join(", ") ?? "";
    c.skus.value = d.eligible?.skus?.join(", ") ?? "";
    while (tiers.length > 0) tiers.pop()?.row.remove();
    if (d.kind === "spend-save") for (const t of d.tiers) addTier(m(t.spendMinor), m(t.saveMinor));
    else addTier();
    zoneChosen = true;
    if (![...c.timezone.options].some((o) => o.value === spec.timezone)) c.timezone.append(h("option", { value: spec.timezone }, spec.timezone));
    c.timezone.value = spec.timezone;
    const v = spec.validity;
    c.validityKind.value = v.kind;
    if (v.kind === "from-claim") {
      const days = v.hours % 24 === 0;
      c.validFor.value = String(days ? v.hours / 24 : v.hours);
      c.validUnit.value = days ? "days" : "hours";
      c.claimUntil.value = v.claimUntil ? isoToZonedInput(v.claimUntil, spec.timezone) : "";
    } else {
      c.from.value = isoToZonedInput(v.from, spec.timezone);
      c.until.value = isoToZonedInput(v.until, spec.timezone);
    }
    c.totalStock.value = n(spec.totalStock);
    c.dailyStock.value = n(spec.dailyStock);
    c.perMember.value = n(spec.perMemberLimit);
    for (const b of c.stores) b.checked = spec.storeIds.includes(b.value);
    for (const b of c.channels) b.checked = spec.channels.includes(b.value as BatchSpec["channels"][number]);
    c.pointsPrice.value = n(spec.pointsPrice);
    c.giftable.checked = spec.giftable === true;
    c.maxGiftPasses.value = n(spec.maxGiftPasses);
    const gh = spec.giftTimeoutHours;
    c.giftTimeout.value = gh === undefined ? "" : String(gh % 24 === 0 ? gh / 24 : gh);
    c.giftTimeoutUnit.value = gh !== undefined && gh % 24 === 0 ? "days" : "hours";
    c.presence.value = n(spec.presenceWithinMin);
    const rl = spec.reminderLeadMin;
    const unit = rl === undefined ? "hours" : rl % 1440 === 0 ? "days" : rl % 60 === 0 ? "hours" : "minutes";
    c.reminderUnit.value = unit;
    c.reminder.value = rl === undefined ? "" : String(rl / UNIT_MINUTES[unit]);
    sync();
    syncZoneHints();
  };

  return { form, summary, read, fill };
}
