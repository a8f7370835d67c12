import { client, ok, type Session } from "../api.js";
import { barChart } from "../charts.js";
import { count, field, fmtPercent, h, mount } from "../dom.js";
import { messageOf } from "../errors.js";
import { browserZone } from "../storeTime.js";

const STAGES = ["visits", "eligible", "issued", "delivered", "viewed", "redeemed"] as const;
type Counts = Record<(typeof STAGES)[number] | "heldOut", number>;
interface Rates {
  eligibleRate: number | null;
  deliveryRate: number | null;
  viewRate: number | null;
  redemptionRate: number | null;
}
interface Holdout {
  issuedUsers: number;
  issuedUsersRedeemed: number;
  issuedRedemptionRate: number | null;
  issuedUsersReturned: number;
  issuedReturnRate: number | null;
  heldOutUsers: number;
  heldOutUsersReturned: number;
  heldOutReturnRate: number | null;
  returnRateLift: number | null;
  issuedRevenuePerUserMinor: number | null;
  heldOutRevenuePerUserMinor: number | null;
  revenuePerUserLiftMinor: number | null;
}
interface Group extends Counts {
  key: { ruleId?: string; name?: string | null; storeId?: string; zoneId?: string; day?: string };
  rates: Rates;
  holdout?: Holdout;
}
export interface Report {
  groupBy: "rule" | "store" | "zone" | "day";
  from: string;
  to: string;
  storeId: string | null;
  groups: Group[];
  totals: Counts & { rates: Rates };
}

function keyLabel(key: Group["key"]): string {
  if (key.ruleId !== undefined) return key.name ? `${key.ruleId} (${key.name})` : key.ruleId;
  if (key.zoneId !== undefined) return `${key.storeId ?? ""} / ${key.zoneId}`;
  if (key.day !== undefined) return key.day;
  return key.name ? `${key.storeId ?? ""} (${key.name})` : (key.storeId ?? "");
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
  const row = (label: string, g: Counts & { rates: Rates; holdout?: Holdout }) => [
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
export function analyticsPage(root: HTMLElement, session: Session): void {
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
  mount(root, h("div", { class: "page-head" }, h("h1", {}, "Analytics")), form, out);

  let report: Report | null = null;
  const load = async () => {
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
      mount(out, ...view(loaded));
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
}

/**
 * One bar of the holdout chart: the share of a group that came back, written with the counts it
 * comes from, so the bar says the same as the sentence under it ("0 % came back (0 of 1)").
 */
function returnBar(label: string, returned: number, users: number, rate: number | null): { label: string; value: number; text: string } {
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

function view(report: Report): HTMLElement[] {
  const t = report.totals;
  const parts: HTMLElement[] = [
    h(
      "section",
      { class: "card", "aria-labelledby": "funnel-total" },
      h("h2", { id: "funnel-total" }, "Funnel, all rules"),
      barChart("Funnel totals", STAGES.map((s) => ({ label: s, value: t[s] })), { className: "funnel" }),
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
  const chart =
    report.groups.length > 0
      ? barChart(
          `Offers issued (redeemed) by ${report.groupBy}`,
          report.groups.map((g) => ({ label: keyLabel(g.key), value: g.issued, part: g.redeemed })),
          { className: "by-group" },
        )
      : null;
  parts.push(
    h(
      "section",
      { class: "card", "aria-label": `Funnel by ${report.groupBy}` },
      h("h2", {}, `Issued, and redeemed inside, by ${report.groupBy}`),
      chart,
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
          return h(
            "div",
            { class: "holdout" },
            h("h3", {}, keyLabel(g.key)),
            barChart(`Came back, ${keyLabel(g.key)}`, [
              returnBar("sent the offer", ho.issuedUsersReturned, ho.issuedUsers, ho.issuedReturnRate),
              returnBar("held out", ho.heldOutUsersReturned, ho.heldOutUsers, ho.heldOutReturnRate),
            ]),
            h("p", { class: "holdout-text" }, holdoutText(ho)),
          );
        }),
      ),
    );
  }
  return parts;
}
