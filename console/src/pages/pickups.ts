import { type AnswerOf, client, ok, type Session } from "../api.js";
import { count, field, h, mount } from "../dom.js";
import { messageOf } from "../errors.js";
import { fmtZoned, storeZones } from "../storeTime.js";

type Pickup = AnswerOf<"/v1/pickups", "get">["pickups"][number];

const STATES = {
  open: { label: "Not yet collected", query: "awaiting,arrived" },
  arrived: { label: "Arrived, waiting at the counter", query: "arrived" },
  awaiting: { label: "Not arrived yet", query: "awaiting" },
  collected: { label: "Collected", query: "collected" },
  all: { label: "All", query: undefined },
} as const;
type StateFilter = keyof typeof STATES;

/**
 * Click-and-collect orders (admins: `GET /v1/pickups`), newest first, with when each customer
 * arrived and was handed the order, in the order's store's time. The pick-up code is not shown:
 * the customer shows it at the counter. Address: `#/pickups`.
 */
export function pickupsPage(root: HTMLElement, _session: Session): void {
  const store = h("select", { name: "store" }, h("option", { value: "" }, "Every store"));
  const state = h(
    "select",
    { name: "state" },
    ...Object.entries(STATES).map(([value, s]) => h("option", { value }, s.label)),
  );
  const out = h("div", { "aria-live": "polite" });
  const load = async () => {
    mount(out, "Loading…");
    const filter = STATES[state.value as StateFilter];
    const query = {
      ...(store.value ? { storeId: store.value } : {}),
      ...(filter.query === undefined ? {} : { state: filter.query }),
      limit: 200,
    };
    try {
      const [{ pickups }, zones] = await Promise.all([ok(client.GET("/v1/pickups", { params: { query } })), storeZones()]);
      mount(out, view(pickups, zones, filter.label));
    } catch (err) {
      mount(out, h("p", { class: "error", role: "alert" }, messageOf(err)));
    }
  };
  const form = h(
    "form",
    { class: "filters", "aria-label": "Which orders" },
    field("Store", store),
    field("State", state),
    h("button", { type: "submit" }, "Show"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void load();
  });
  mount(root, h("div", { class: "page-head" }, h("h1", {}, "Pick-ups")), form, out);
  void storeZones()
    .then((zones) => {
      for (const id of [...zones.keys()].sort()) store.append(h("option", { value: id }, id));
    })
    .catch(() => undefined);
  void load();
}

function view(pickups: readonly Pickup[], zones: ReadonlyMap<string, string>, label: string): HTMLElement {
  if (pickups.length === 0) return h("p", { class: "empty" }, `No orders: ${label.toLowerCase()}.`);
  const row = (p: Pickup) => {
    const zone = zones.get(p.storeId);
    return h(
      "tr",
      { "data-order": p.orderId, "data-state": p.state },
      h("td", { "data-label": "Order" }, p.orderId),
      h("td", { "data-label": "Store" }, p.storeId),
      h("td", { "data-label": "State" }, h("span", { class: `badge ${p.state}` }, p.state)),
      h("td", { "data-label": "Registered" }, fmtZoned(p.createdAt, zone)),
      h("td", { "data-label": "Arrived" }, fmtZoned(p.arrivedAt, zone)),
      h("td", { "data-label": "Collected" }, fmtZoned(p.collectedAt, zone)),
      h("td", { "data-label": "Code valid until" }, fmtZoned(p.expiresAt, zone)),
    );
  };
  return h(
    "section",
    { class: "card", "aria-labelledby": "pickups-title" },
    h("h2", { id: "pickups-title" }, `${label}: ${count(pickups.length, "order")}`),
    h("p", { class: "hint" }, "Times are in each order's store's timezone, named after each time."),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "pickups stack" },
        h("caption", { class: "sr-only" }, "Pick-up orders, newest first"),
        h("thead", {}, h("tr", {}, ...["Order", "Store", "State", "Registered", "Arrived", "Collected", "Code valid until"].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, ...pickups.map(row)),
      ),
    ),
  );
}
