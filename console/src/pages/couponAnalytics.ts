import { client, ok } from "../api.js";
import { barChart, type Chart } from "../charts.js";
import { field, fmtPercent, h, mount } from "../dom.js";
import { messageOf } from "../errors.js";
import { fmtMoney } from "../money.js";
import { browserZone, zonedInputToIso } from "../storeTime.js";
import { type BatchView, CHANNEL_NAMES, type CouponContext, currencyOf, storeWords } from "./couponTerms.js";

/** A row of `GET /v1/coupon-analytics`: one batch, channel, store and local day. */
interface StatsRow {
  readonly batchId: string;
  readonly channel: string;
  readonly storeId: string;
  readonly day: string;
  readonly claimed: number;
  readonly giftsMade: number;
  readonly giftsAccepted: number;
  readonly redeemed: number;
  readonly voided: number;
  readonly expired: number;
  readonly revenueMinor: number;
  readonly discountMinor: number;
  readonly basketRedemptions: number;
}

const COUNTS = ["claimed", "giftsMade", "giftsAccepted", "redeemed", "expired", "voided"] as const;
const COUNT_NAMES: Record<(typeof COUNTS)[number], string> = {
  claimed: "Claimed",
  giftsMade: "Gifted",
  giftsAccepted: "Gift accepted",
  redeemed: "Redeemed",
  expired: "Expired",
  voided: "Voided",
};
type Sums = Record<(typeof COUNTS)[number] | "revenueMinor" | "discountMinor" | "basketRedemptions", number>;
const DIMENSIONS = ["batch", "channel", "store", "day", "all"] as const;
type Dimension = (typeof DIMENSIONS)[number];
const DIMENSION_NAMES: Record<Dimension, string> = { batch: "batch", channel: "channel", store: "store", day: "day", all: "batch, channel, store and day" };

interface Group extends Sums {
  readonly label: string;
  readonly currency: string;
}

const empty = (): Sums => ({ claimed: 0, giftsMade: 0, giftsAccepted: 0, redeemed: 0, expired: 0, voided: 0, revenueMinor: 0, discountMinor: 0, basketRedemptions: 0 });
const SUMMED = [...COUNTS, "revenueMinor", "discountMinor", "basketRedemptions"] as const;
const add = (into: Sums, r: Sums) => {
  for (const k of SUMMED) into[k] += r[k];
};

/**
 * Coupon analytics per batch, channel, store or store-local day (the API's rows, summed here by
 * the chosen key): counts from claim to redemption, revenue of the redeeming baskets, discount cost,
 * average basket and issued → redeemed conversion, in each batch's currency. The CSV link is the
 * API's own export of the same period.
 */
export async function couponAnalytics(root: HTMLElement, ctxP: Promise<CouponContext>, signal: AbortSignal): Promise<void> {
  const ctx = await ctxP;
  const day = 86_400_000;
  // The stores' zone when they share one (the rows' days are the stores' days), else the browser's.
  const zones = [...new Set(ctx.stores.map((st) => st.timezone))];
  const zone = zones.length === 1 && zones[0] ? zones[0] : browserZone();
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" });
  const from = h("input", { type: "date", name: "from", value: today.format(Date.now() - 29 * day), required: true });
  const to = h("input", { type: "date", name: "to", value: today.format(Date.now()), required: true });
  const by = h("select", { name: "groupBy" }, ...DIMENSIONS.map((d) => h("option", { value: d }, DIMENSION_NAMES[d])));
  const csv = h("a", { class: "button", download: "coupons.csv", "aria-disabled": "true" }, "Download CSV");
  const out = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    { class: "card inline", "aria-label": "Coupon analytics period and grouping" },
    h(
      "div",
      { class: "row" },
      field("Group by", by),
      field("From day", from, { hint: `From midnight in ${zone}` }),
      field("To day (inclusive)", to, { hint: `To the next midnight in ${zone}` }),
    ),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, "Show coupon analytics"), csv),
  );
  mount(root, h("div", { class: "page-head" }, h("h1", {}, "Coupon analytics"), h("a", { href: "#/coupons", class: "button" }, "All batches")), form, out);

  const batches = await ok(client.GET("/v1/coupon-batches", { params: { query: { limit: 500 } } }))
    .then((r) => new Map(r.batches.map((b) => [b.batchId, b])))
    .catch(() => new Map<string, BatchView>());
  let csvUrl: string | null = null;
  let chart: Chart | null = null;
  signal.addEventListener("abort", () => {
    if (csvUrl) URL.revokeObjectURL(csvUrl);
    chart?.destroy();
  });

  const load = async () => {
    mount(out, "Loading…");
    const fromIso = zonedInputToIso(`${from.value}T00:00`, zone);
    const toStart = zonedInputToIso(`${to.value}T00:00`, zone);
    if (!fromIso || !toStart) {
      mount(out, h("p", { class: "alert", role: "alert" }, "Choose both days."));
      return;
    }
    // The day after `to`, at its own midnight (a day is 23 or 25 hours across a clock change).
    const next = new Date(Date.parse(`${to.value}T00:00:00Z`) + day).toISOString().slice(0, 10);
    const toIso = zonedInputToIso(`${next}T00:00`, zone) ?? toStart;
    const query = { from: fromIso, to: toIso };
    try {
      const [{ rows }, text] = await Promise.all([
        ok(client.GET("/v1/coupon-analytics", { params: { query } })),
        ok(client.GET("/v1/coupon-analytics/export", { params: { query }, parseAs: "text" })),
      ]);
      if (signal.aborted) return;
      if (csvUrl) URL.revokeObjectURL(csvUrl);
      csvUrl = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
      csv.href = csvUrl;
      csv.download = `coupons-${from.value}-${to.value}.csv`;
      csv.removeAttribute("aria-disabled");
      const drawn = view(rows, by.value as Dimension, ctx, batches);
      chart?.destroy();
      chart = drawn.chart;
      mount(out, ...drawn.parts);
    } catch (err) {
      csv.removeAttribute("href");
      csv.setAttribute("aria-disabled", "true");
      mount(out, h("p", { class: "alert", role: "alert" }, messageOf(err)));
    }
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void load();
  });
  by.addEventListener("change", () => void load());
  await load();
}

function view(rows: readonly StatsRow[], dim: Dimension, ctx: CouponContext, batches: ReadonlyMap<string, BatchView>): { parts: HTMLElement[]; chart: Chart | null } {
  const currencyOfRow = (r: StatsRow) => {
    const b = batches.get(r.batchId);
    return b ? currencyOf(b.spec, ctx.currency) : ctx.currency;
  };
  const batchLabel = (id: string) => {
    const b = batches.get(id);
    return b ? `${b.spec.title} (${id})` : id;
  };
  const keyOf = (r: StatsRow): string => {
    switch (dim) {
      case "batch":
        return batchLabel(r.batchId);
      case "channel":
        return CHANNEL_NAMES[r.channel] ?? r.channel;
      case "store":
        return storeWords([r.storeId], ctx.stores);
      case "day":
        return r.day;
      case "all":
        return `${batchLabel(r.batchId)} · ${CHANNEL_NAMES[r.channel] ?? r.channel} · ${storeWords([r.storeId], ctx.stores)} · ${r.day}`;
    }
  };
  const currencies = new Set(rows.map(currencyOfRow));
  const many = currencies.size > 1;
  const groups = new Map<string, Group>();
  const totals = new Map<string, Group>();
  for (const r of rows) {
    const currency = currencyOfRow(r);
    const label = keyOf(r);
    const key = `${label}\u0000${currency}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { label: many ? `${label} (${currency})` : label, currency, ...empty() }));
    add(g, r);
    let t = totals.get(currency);
    if (!t) totals.set(currency, (t = { label: many ? `Total (${currency})` : "Total", currency, ...empty() }));
    add(t, r);
  }
  const list = [...groups.values()].sort((a, b) => (dim === "day" ? a.label.localeCompare(b.label) : b.claimed - a.claimed || a.label.localeCompare(b.label)));
  const columns = [DIMENSION_NAMES[dim].replace(/^./, (ch) => ch.toUpperCase()), ...COUNTS.map((c) => COUNT_NAMES[c]), "Revenue", "Discount cost", "Average basket", "Issued → redeemed"];
  const cells = (g: Group) => [
    h("th", { scope: "row", "data-label": columns[0] }, g.label),
    ...COUNTS.map((c) => h("td", { class: "num", "data-col": c, "data-label": COUNT_NAMES[c] }, g[c])),
    h("td", { class: "num", "data-col": "revenue", "data-label": "Revenue" }, fmtMoney(g.revenueMinor, g.currency)),
    h("td", { class: "num", "data-col": "discount", "data-label": "Discount cost" }, fmtMoney(g.discountMinor, g.currency)),
    h("td", { class: "num", "data-col": "average", "data-label": "Average basket" }, fmtMoney(g.basketRedemptions > 0 ? Math.round(g.revenueMinor / g.basketRedemptions) : null, g.currency)),
    h("td", { class: "num", "data-col": "conversion", "data-label": "Issued → redeemed" }, fmtPercent(g.claimed > 0 ? g.redeemed / g.claimed : null)),
  ];
  const table = h(
    "table",
    { class: "coupon-stats stack" },
    h("caption", {}, `By ${DIMENSION_NAMES[dim]}${dim === "day" || dim === "all" ? " (each store's own day)" : ""}`),
    h("thead", {}, h("tr", {}, ...columns.map((c, i) => h("th", { scope: "col", ...(i > 0 ? { class: "num" } : {}) }, c)))),
    h(
      "tbody",
      {},
      ...(list.length === 0 ? [h("tr", {}, h("td", { colspan: columns.length }, "No coupon activity in this period."))] : list.map((g) => h("tr", { "data-group": g.label }, ...cells(g)))),
    ),
    list.length > 0 ? h("tfoot", {}, ...[...totals.values()].map((t) => h("tr", { "data-group": t.label, class: "total" }, ...cells(t)))) : null,
  );
  const chart =
    list.length > 0 && list.length <= 40
      ? barChart(
          `Coupons claimed, and redeemed inside, by ${DIMENSION_NAMES[dim]}`,
          list.map((g) => ({ label: g.label, value: g.claimed, part: g.redeemed, text: `${g.claimed} claimed, ${g.redeemed} redeemed` })),
          // The table under it gives the same numbers to screen readers.
          { className: "by-group", list: false },
        )
      : null;
  return {
    parts: [h("section", { class: "card", "aria-label": `Coupons by ${DIMENSION_NAMES[dim]}` }, h("h2", {}, `Claimed, and redeemed inside, by ${DIMENSION_NAMES[dim]}`), chart?.element, h("div", { class: "table-wrap" }, table))],
    chart,
  };
}
