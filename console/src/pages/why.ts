import { client, ok, type Session } from "../api.js";
import { count, field, h, mount } from "../dom.js";
import { messageOf } from "../errors.js";
import { fmtZoned, storeZones } from "../storeTime.js";

interface Decision {
  eventId: string;
  ruleId: string;
  ruleVersion: number;
  userId: string | null;
  storeId: string;
  zoneId: string;
  outcome: string;
  reason: string;
  text: string;
  offerId: string | null;
  decidedAt: string;
}

/** "Why not": every decision the engine took for a user or an event, with its reason in words. */
export function whyPage(root: HTMLElement, _session: Session, args: readonly string[]): void {
  const kind = h("select", { name: "kind" }, h("option", { value: "user" }, "User id"), h("option", { value: "event" }, "Event id"));
  const id = h("input", { type: "text", name: "lookup", required: true, autocomplete: "off", pattern: "[A-Za-z0-9_.:\\-]+" });
  const out = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "card inline", role: "search", "aria-label": "Look up decisions" }, h("div", { class: "row" }, field("Look up by", kind), field("Id", id)), h("button", { type: "submit", class: "primary" }, "Show decisions"));
  mount(root, h("div", { class: "page-head" }, h("h1", {}, "Why (not)")), h("p", { class: "hint" }, "Every rule evaluated on an event leaves a decision: issued, held out, or not issued with the reason."), form, out);

  const lookup = async (k: string, value: string) => {
    mount(out, "Loading…");
    try {
      const query = { limit: 200 };
      const decisionsOf =
        k === "event"
          ? ok(client.GET("/v1/events/{eventId}/decisions", { params: { path: { eventId: value }, query } }))
          : ok(client.GET("/v1/users/{userId}/decisions", { params: { path: { userId: value }, query } }));
      const [{ decisions }, zones] = await Promise.all([decisionsOf, storeZones()]);
      mount(out, decisions.length === 0 ? h("p", {}, `No decisions for ${k} ${value}.`) : table(decisions, zones, (eventId) => {
        kind.value = "event";
        id.value = eventId;
        void lookup("event", eventId);
      }));
    } catch (err) {
      mount(out, h("p", { class: "alert", role: "alert" }, messageOf(err)));
    }
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void lookup(kind.value, id.value.trim());
  });
  const [k, v] = args;
  if ((k === "user" || k === "event") && v) {
    kind.value = k;
    id.value = decodeURIComponent(v);
    void lookup(k, id.value);
  }
}

function table(decisions: readonly Decision[], zones: ReadonlyMap<string, string>, showEvent: (eventId: string) => void): HTMLElement {
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "decisions stack" },
      h("caption", {}, `${count(decisions.length, "decision")}, newest first`),
      h("thead", {}, h("tr", {}, ...["When (store time)", "Rule", "User", "Where", "Outcome", "Reason", "Event"].map((c) => h("th", { scope: "col" }, c)))),
      h(
        "tbody",
        {},
        ...decisions.map((d) => {
          const ev = h("button", { type: "button", class: "link" }, d.eventId);
          ev.addEventListener("click", () => showEvent(d.eventId));
          return h(
            "tr",
            { "data-outcome": d.outcome },
            h("td", { class: "when", "data-label": "When" }, fmtZoned(d.decidedAt, zones.get(d.storeId))),
            h("td", { "data-label": "Rule" }, `${d.ruleId} v${d.ruleVersion}`),
            h("td", { "data-label": "User" }, d.userId ?? "anonymous"),
            h("td", { "data-label": "Where" }, `${d.storeId} / ${d.zoneId}`),
            h("td", { "data-label": "Outcome" }, h("span", { class: `badge ${d.outcome}` }, d.outcome), d.offerId ? h("div", { class: "small" }, `offer ${d.offerId}`) : null),
            h("td", { "data-label": "Reason" }, h("strong", {}, d.reason), h("div", {}, d.text)),
            h("td", { "data-label": "Event" }, ev),
          );
        }),
      ),
    ),
  );
}
