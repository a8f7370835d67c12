import { type AnswerOf, client, ok, type Session } from "../api.js";
import { type Bar, barChart, type Chart, fmtDay, trendChart } from "../charts.js";
import { count, field, fmtPercent, h, mount } from "../dom.js";
import { messageOf } from "../errors.js";
import { browserZone, dayIn, storeZones } from "../storeTime.js";

const STAGES = ["visits", "eligible", "issued", "delivered", "viewed", "redeemed"] as const;
/** The funnel as the contract declares it. */
export type Report = AnswerOf<"/v1/analytics/funnel", "get">;
type Group = Report["groups"][number];
type Holdout = NonNullable<Group["holdout"]>;

function keyLabel(key: Group["key"]): string {
  if ("ruleId" in key) return key.name ? `${key.ruleId} (${key.name})` : key.ruleId;
  if ("zoneId" in key) return `${key.storeId} / ${key.zoneId}`;
  if ("day" in key) return key.day;
  return key.name ? `${key.storeId} (${key.name})` : key.storeId;
}

/** RFC 4180 CSV: fields quoted when they hold a comma, quote or line break; CRLF line ends. */
export function toCsv(rows: readonly (readonly (string | number | null)[])[]): string {
  const cell = (v: string | number | null) => {
    const text = v === null ? "" : String(v);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

function csvOf(report: Report): string {
  const header = ["group", ...STAGES, "heldOut", "eligibleRate", "deliveryRate", "viewRate", "redemptionRate", "issuedUsers", "heldOutUsers", "issuedReturnRate", "heldOutReturnRate", "returnRateLift", "issuedRevenuePerUserMinor", "heldOutRevenuePerUserMinor", "revenuePerUserLiftMinor"];
  const row = (label: string, g: Report["totals"] & { holdout?: Holdout }) => [
    label,
    ...STAGES.map((s) => g[s]),
    g.heldOut,
    g.rates.eligibleRate,
    g.rates.deliveryRate,
    g.rates.viewRate,
    g.rates.redemptionRate,
    g.holdout?.issuedUsers ?? null,
    g.holdout?.heldOutUsers ?? null,
    g.holdout?.issuedReturnRate ?? null,
    g.holdout?.heldOutReturnRate ?? null,
    g.holdout?.returnRateLift ?? null,
    g.holdout?.issuedRevenuePerUserMinor ?? null,
    g.holdout?.heldOutRevenuePerUserMinor ?? null,
    g.holdout?.revenuePerUserLiftMinor ?? null,
  ];
  return toCsv([header, ...report.groups.map((g) => row(keyLabel(g.key), g)), row("total", report.totals)]);
}

/** The funnel per rule, store, zone or day, with the holdout comparison; charts and CSV export. */
export function analyticsPage(root: HTMLElement, session: Session): () => void {
  const day = 86_400_000;
  const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const groupBy = h("select", { name: "groupBy" }, ...["rule", "store", "zone", "day"].map((g) => h("option", { value: g }, g)));
  const from = h("input", { type: "date", name: "from", value: date(Date.now() - 6 * day), required: true });
  const to = h("input", { type: "date", name: "to", value: date(Date.now()), required: true });
  const store = h("input", { type: "text", name: "storeId", autocomplete: "off", ...(session.storeId ? { value: session.storeId, disabled: true } : {}) });
  const out = h("div", { class: "analytics", "aria-live": "polite" });
  const exportButton = h("button", { type: "button", disabled: true }, "Export CSV");
  const form = h(
    "form",
    { class: "card inline", "aria-label": "Funnel period and grouping" },
    h("div", { class: "row" }, field("Group by", groupBy), field("From day", from, { hint: `Midnight in ${browserZone()}` }), field("To day (inclusive)", to, { hint: `Midnight in ${browserZone()}` }), field("Store id", store, { hint: "Empty: every store" })),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, "Show funnel"), exportButton),
  );
  const trends = trendsSection(session);
  mount(root, h("div", { class: "page-head" }, h("h1", {}, "Analytics")), trends.section, form, out);

  let report: Report | null = null;
  let charts: readonly Chart[] = [];
  const clear = () => {
    for (const c of charts) c.destroy();
    charts = [];
  };
  const load = async () => {
    clear();
    mount(out, "Loading…");
    const query = {
      groupBy: groupBy.value as Report["groupBy"],
      from: new Date(`${from.value}T00:00:00`).toISOString(),
      to: new Date(new Date(`${to.value}T00:00:00`).getTime() + day).toISOString(),
      ...(store.value.trim() && !session.storeId ? { storeId: store.value.trim() } : {}),
    };
    try {
      const loaded: Report = await ok(client.GET("/v1/analytics/funnel", { params: { query } }));
      report = loaded;
      exportButton.disabled = false;
      const drawn = view(loaded);
      clear();
      charts = drawn.charts;
      mount(out, ...drawn.parts);
    } catch (err) {
      report = null;
      exportButton.disabled = true;
      mount(out, h("p", { class: "alert", role: "alert" }, messageOf(err)));
    }
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void load();
  });
  exportButton.addEventListener("click", () => {
    if (!report) return;
    const url = URL.createObjectURL(new Blob([csvOf(report)], { type: "text/csv;charset=utf-8" }));
    const a = h("a", { href: url, download: `funnel-${report.groupBy}-${from.value}-${to.value}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  void load();
  return () => {
    clear();
    trends.stop();
  };
}

/**
 * One bar of the holdout chart: the share of a group that came back, written with the counts it
 * comes from, so the bar says the same as the sentence under it ("0 % came back (0 of 1)").
 */
function returnBar(label: string, returned: number, users: number, rate: number | null): Bar {
  const percent = rate === null ? 0 : Math.round(rate * 1000) / 10;
  return { label, value: percent, text: users === 0 ? "no shoppers" : `${percent} % came back (${returned} of ${users})` };
}

/** An amount in minor units as major units with two decimals (the programme's currency is not on the report). */
const minor = (v: number | null) => (v === null ? "—" : (v / 100).toFixed(2));

/** The holdout comparison in words, with the API's counts. */
function holdoutText(ho: Holdout): string {
  const lift = ho.returnRateLift === null ? "—" : `${(ho.returnRateLift * 100).toFixed(1)} points`;
  return (
    `${count(ho.issuedUsers, "shopper")} sent the offer (${ho.issuedUsersReturned} came back, ${ho.issuedUsersRedeemed} redeemed); ` +
    `${count(ho.heldOutUsers, "shopper")} held out (${ho.heldOutUsersReturned} came back). Lift in return rate: ${lift}.` +
    (ho.revenuePerUserLiftMinor === null
      ? ""
      : ` Spend per shopper: ${minor(ho.issuedRevenuePerUserMinor)} sent the offer, ${minor(ho.heldOutRevenuePerUserMinor)} held out (lift ${minor(ho.revenuePerUserLiftMinor)}).`)
  );
}

const STAGE_NAMES: Record<(typeof STAGES)[number], string> = {
  visits: "Visits",
  eligible: "Eligible",
  issued: "Offers issued",
  delivered: "Delivered to the phone",
  viewed: "Viewed",
  redeemed: "Redeemed",
};

function view(report: Report): { parts: HTMLElement[]; charts: Chart[] } {
  const t = report.totals;
  const funnel = barChart(
    "Funnel totals",
    STAGES.map((s) => ({ label: STAGE_NAMES[s], value: t[s] })),
    { className: "funnel" },
  );
  const charts: Chart[] = [funnel];
  const parts: HTMLElement[] = [
    h(
      "section",
      { class: "card", "aria-labelledby": "funnel-total" },
      h("h2", { id: "funnel-total" }, "Funnel, all rules"),
      funnel.element,
      h("p", { class: "rates", "data-totals": STAGES.map((s) => `${s}=${t[s]}`).join(" ") }, `Eligible ${fmtPercent(t.rates.eligibleRate)} of visits · delivered ${fmtPercent(t.rates.deliveryRate)}, viewed ${fmtPercent(t.rates.viewRate)}, redeemed ${fmtPercent(t.rates.redemptionRate)} of issued · ${t.heldOut} held out`),
    ),
  ];
  const table = h(
    "table",
    { class: "funnel-table" },
    h("caption", {}, `By ${report.groupBy}`),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, report.groupBy), ...STAGES.map((s) => h("th", { scope: "col", class: "num" }, s)), h("th", { scope: "col", class: "num" }, "held out"), h("th", { scope: "col", class: "num" }, "redeemed/issued"))),
    h(
      "tbody",
      {},
      ...(report.groups.length === 0
        ? [h("tr", {}, h("td", { colspan: 9 }, "No visits in this period."))]
        : report.groups.map((g) =>
            h("tr", {}, h("th", { scope: "row" }, keyLabel(g.key)), ...STAGES.map((s) => h("td", { class: "num", "data-stage": s }, g[s])), h("td", { class: "num" }, g.heldOut), h("td", { class: "num" }, fmtPercent(g.rates.redemptionRate))),
          )),
    ),
  );
  // The table under it gives the same numbers: no second list for screen readers.
  const chart =
    report.groups.length > 0
      ? barChart(
          `Offers issued, and redeemed inside, by ${report.groupBy}`,
          report.groups.map((g) => ({ label: keyLabel(g.key), value: g.issued, part: g.redeemed, text: `${g.issued} issued, ${g.redeemed} redeemed` })),
          { className: "by-group", list: false },
        )
      : null;
  if (chart) charts.push(chart);
  parts.push(
    h(
      "section",
      { class: "card", "aria-label": `Funnel by ${report.groupBy}` },
      h("h2", {}, `Issued, and redeemed inside, by ${report.groupBy}`),
      chart?.element,
      h("div", { class: "table-wrap" }, table),
    ),
  );
  const withHoldout = report.groups.filter((g) => g.holdout && g.holdout.heldOutUsers + g.holdout.issuedUsers > 0);
  if (withHoldout.length > 0) {
    parts.push(
      h(
        "section",
        { class: "card", "aria-labelledby": "holdout-title" },
        h("h2", { id: "holdout-title" }, "Offer against holdout: do shoppers come back?"),
        ...withHoldout.map((g) => {
          const ho = g.holdout as Holdout;
          // Percentages on a fixed 0–100 axis, so two groups' bars compare at a glance.
          const bars = barChart(
            `Came back, ${keyLabel(g.key)}`,
            [
              returnBar("Sent the offer", ho.issuedUsersReturned, ho.issuedUsers, ho.issuedReturnRate),
              returnBar("Held out", ho.heldOutUsersReturned, ho.heldOutUsers, ho.heldOutReturnRate),
            ],
            { className: "holdout-bars", max: 100, format: (v) => `${v} %` },
          );
          charts.push(bars);
          return h(
            "div",
            { class: "holdout", "data-group": keyLabel(g.key) },
            h("h3", {}, keyLabel(g.key)),
            bars.element,
            h("p", { class: "holdout-text" }, holdoutText(ho)),
          );
        }),
      ),
    );
  }
  return { parts, charts };
}

/** The daily trends as the contract declares them. */
export type TrendReport = AnswerOf<"/v1/analytics/trends", "get">;
type TrendPoint = TrendReport["totals"][number];
type TrendKey = TrendReport["series"][number]["key"];

const MEASURES = {
  visits: { label: "Visits", noun: "visit", pick: (p: TrendPoint) => p.visits },
  issued: { label: "Offers issued", noun: "offer issued", pick: (p: TrendPoint) => p.issued },
  redeemed: { label: "Redeemed", noun: "redemption", pick: (p: TrendPoint) => p.redeemed },
  revenue: { label: "Revenue from redemptions", noun: "", pick: (p: TrendPoint) => p.revenueMinor },
} as const;
type Measure = keyof typeof MEASURES;

const CHANNELS: Record<string, string> = {
  rule: "Rules, in store",
  online: "Claimed online",
  segment: "Sent to a segment",
  till: "Given at the till",
  points: "Bought with points",
};

/** A series' name as a marketer reads it: the store's or campaign's name with its id, never cut. */
export function trendLabel(key: TrendKey): string {
  if ("channel" in key) return CHANNELS[key.channel] ?? key.channel;
  if ("campaign" in key) return `${key.campaign === "rule" ? "Rule" : "Coupons"}: ${key.name && key.name !== key.id ? `${key.name} (${key.id})` : key.id}`;
  if ("zoneId" in key) return `${key.storeId} / ${key.zoneId ?? "no zone (coupons)"}`;
  return key.name && key.name !== key.storeId ? `${key.name} (${key.storeId})` : key.storeId;
}

/** Minor units as major with two decimals (the report carries no currency: one per organisation). */
const major = (v: number) => (v / 100).toLocaleString("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * Daily trends: a line per store, zone, channel or campaign of the measure chosen (visits, offers
 * issued, redeemed, revenue), over the stores' local days, with the same numbers in a table.
 */
function trendsSection(session: Session): { section: HTMLElement; stop: () => void } {
  const day = 86_400_000;
  const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const by = h(
    "select",
    { name: "by" },
    ...(["store", "zone", "channel", "campaign"] as const).map((b) => h("option", { value: b }, b)),
  );
  const measure = h("select", { name: "measure" }, ...Object.entries(MEASURES).map(([k, m]) => h("option", { value: k }, m.label)));
  const from = h("input", { type: "date", name: "trendFrom", value: date(Date.now() - 13 * day), required: true });
  const to = h("input", { type: "date", name: "trendTo", value: date(Date.now()), required: true });
  const store = h("input", { type: "text", name: "trendStoreId", autocomplete: "off", ...(session.storeId ? { value: session.storeId, disabled: true } : {}) });
  const out = h("div", { class: "trends", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "inline", "aria-label": "Trend period and breakdown" },
    h(
      "div",
      { class: "row" },
      field("Break down by", by, { hint: "A campaign is a rule or a coupon batch" }),
      field("Show", measure),
      field("From day", from, { hint: "The stores' local days" }),
      field("To day (inclusive)", to),
      field("Store id", store, { hint: "Empty: every store" }),
    ),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, "Show trends")),
  );
  const section = h("section", { class: "card", "aria-labelledby": "trends-title" }, h("h2", { id: "trends-title" }, "Daily trends"), form, out);
  let report: TrendReport | null = null;
  let chart: { destroy: () => void } | null = null;
  const draw = () => {
    chart?.destroy();
    chart = null;
    if (!report) return;
    const drawn = trendView(report, measure.value as Measure);
    chart = drawn.chart;
    mount(out, ...drawn.parts);
  };
  const load = async () => {
    mount(out, "Loading…");
    // Days go as days: the cloud takes each at midnight where the report is about.
    const next = date(Date.parse(`${to.value}T00:00:00Z`) + day);
    const query = {
      by: by.value as TrendReport["by"],
      from: from.value,
      to: next,
      ...(store.value.trim() && !session.storeId ? { storeId: store.value.trim() } : {}),
    };
    try {
      const loaded: TrendReport = await ok(client.GET("/v1/analytics/trends", { params: { query } }));
      report = loaded;
      draw();
    } catch (err) {
      report = null;
      chart?.destroy();
      chart = null;
      mount(out, h("p", { class: "alert", role: "alert" }, messageOf(err)));
    }
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void load();
  });
  measure.addEventListener("change", draw);
  // The last day is today where the stores are (Hong Kong's today starts while London's is still
  // yesterday): the latest of the stores' days, the browser's when they cannot be read.
  void storeZones()
    .then((zones) => {
      const now = Date.now();
      const mine = session.storeId === null ? [...zones.values()] : [zones.get(session.storeId)].filter((z) => z !== undefined);
      const today = mine.map((z) => dayIn(z, now)).reduce((a, b) => (a > b ? a : b), dayIn(browserZone(), now));
      to.value = today;
      from.value = date(Date.parse(`${today}T00:00:00Z`) - 13 * day);
    })
    .finally(() => void load());
  return { section, stop: () => chart?.destroy() };
}

function trendView(report: TrendReport, measure: Measure): { parts: HTMLElement[]; chart: { destroy: () => void } | null } {
  const m = MEASURES[measure];
  const fmt = measure === "revenue" ? major : (v: number) => String(v);
  // Visits have no channel or campaign: by those, the one line is every visit.
  const split = measure !== "visits" || report.by === "store" || report.by === "zone";
  const lines = split
    ? report.series.map((s) => ({ label: trendLabel(s.key), values: s.points.map(m.pick) }))
    : [{ label: "All visits", values: report.totals.map(m.pick) }];
  const totals = report.totals.map((p) => m.pick(p) ?? 0);
  const sum = (pick: (p: TrendPoint) => number | null) => report.totals.reduce((n, p) => n + (pick(p) ?? 0), 0);
  const baskets = sum((p) => p.basketRedemptions);
  const summary = h(
    "p",
    { class: "trend-summary" },
    `${report.days.length === 1 ? "1 day" : `${report.days.length} days`}: ${count(sum((p) => p.visits), "visit")}, ` +
      `${count(sum((p) => p.issued), "offer")} issued, ${count(sum((p) => p.redeemed), "redemption")} ` +
      `(${baskets} with a basket, ${major(sum((p) => p.revenueMinor))} in revenue).`,
  );
  const title = `${m.label} per day, by ${report.by}`;
  const note = split ? null : h("p", { class: "hint" }, `Visits have no ${report.by}: the line is every visit.`);
  if (lines.length === 0 || report.days.length === 0)
    return { parts: [summary, h("p", { class: "empty" }, "Nothing happened in this period.")], chart: null };
  const chart = trendChart(title, report.days, lines, fmt, { integers: measure !== "revenue" });
  const table = h(
    "table",
    { class: "trend-table" },
    h("caption", {}, title),
    h(
      "thead",
      {},
      h("tr", {}, h("th", { scope: "col" }, "Day"), ...lines.map((l) => h("th", { scope: "col", class: "num" }, l.label)), lines.length > 1 ? h("th", { scope: "col", class: "num" }, "Total") : null),
    ),
    h(
      "tbody",
      {},
      ...report.days.map((d, i) =>
        h(
          "tr",
          { "data-day": d },
          h("th", { scope: "row" }, h("time", { datetime: d }, fmtDay(d))),
          ...lines.map((l) => h("td", { class: "num" }, l.values[i] === null || l.values[i] === undefined ? "—" : fmt(l.values[i]))),
          lines.length > 1 ? h("td", { class: "num" }, fmt(totals[i] ?? 0)) : null,
        ),
      ),
    ),
  );
  return {
    parts: [summary, note, h("figure", { class: "trend" }, chart.element, h("figcaption", { class: "hint" }, `${title}: the table below gives every value.`)), h("div", { class: "table-wrap" }, table)].filter(
      (p): p is HTMLElement => p !== null,
    ),
    chart,
  };
}
